using MDEngine.Geometry;
using MDEngine.IO;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.IO;

/// <summary>Files as other programs write them, read as ASE and pymatgen read them.</summary>
public sealed class RealFilesTests() : TempDirectoryTests("mdengine-realfiles-")
{
    private static IReadOnlyList<Structures.Structure> Read(string text, string name, string format) =>
        StructureFile.ReadText(new StringReader(text), name, format);

    [Fact]
    public void A_VASP4_POSCAR_takes_its_species_from_a_formula_on_the_comment_line()
    {
        const string poscar = "Fe4P4O16 relaxed with PBE\n1.0\n5 0 0\n0 6 0\n0 0 7\n1 1 2\nDirect\n0 0 0\n0.5 0.5 0.5\n0.1 0.2 0.3\n0.7 0.8 0.9\n";
        var s = Read(poscar, "POSCAR", "vasp")[0];
        Assert.Equal(["Fe", "P", "O", "O"], s.Symbols);
    }

    [Fact]
    public void A_VASP4_POSCAR_whose_comment_names_too_few_species_is_refused()
    {
        const string poscar = "bulk iron\n1.0\n5 0 0\n0 6 0\n0 0 7\n1\nDirect\n0 0 0\n";
        var e = Assert.Throws<InputException>(() => Read(poscar, "POSCAR", "vasp"));
        Assert.Contains("VASP 4 file without a species line", e.Message);
    }

    private const string NptContcar = "Si2\n1.0\n5.43 0 0\n0 5.43 0\n0 0 5.43\nSi\n2\nDirect\n0 0 0\n0.25 0.25 0.25\n" +
        "Lattice velocities and vectors\n  1\n 1.0E-03 0 0\n 0 2.0E-03 0\n 0 0 3.0E-03\n 5.43 0 0\n 0 5.43 0\n 0 0 5.43\n" +
        "\n 0.01 0.02 0.03\n -0.01 -0.02 -0.03\n\n 1\n 0.5E+00\n";

    [Fact]
    public void An_NPT_CONTCAR_keeps_its_lattice_velocities_and_reads_the_atom_velocities_after_them()
    {
        var s = Read(NptContcar, "CONTCAR", "vasp")[0];
        Assert.Equal(new Vec3(-0.01, -0.02, -0.03), s.Velocities![1]);
        Assert.Equal(new[] { 1e-3, 0, 0, 0, 2e-3, 0, 0, 0, 3e-3 }, (double[])s.Info[PoscarReader.LatticeVelocitiesKey]);
        // Without the initialisation flag and with a mode line before the velocities, as other writers have it.
        string other = NptContcar.Replace("  1\n 1.0E-03", " 1.0E-03").Replace("\n\n 0.01", "\nCartesian\n 0.01");
        Assert.Equal(new Vec3(0.01, 0.02, 0.03), Read(other, "CONTCAR", "vasp")[0].Velocities![0]);
    }

    [Fact]
    public void Plain_XYZ_extra_columns_become_per_atom_arrays()
    {
        const string xyz = "3\nDDEC6 net atomic charges\nO 0.0 0.0 0.0 -0.82 1.52 O1\nH 0.76 0.59 0.0 0.41 1.20 H1\nH -0.76 0.59 0.0 0.41 1 H2\n";
        var s = Read(xyz, "charges.xyz", "xyz")[0];
        Assert.Equal(new Vec3(-0.76, 0.59, 0), s.Positions[2]);
        Assert.Equal(new[] { -0.82, 0.41, 0.41 }, s.Arrays["column_5"].AsReal);
        Assert.Equal(new[] { 1.52, 1.20, 1.0 }, s.Arrays["column_6"].AsReal);
        Assert.Equal(new[] { "O1", "H1", "H2" }, (string[])s.Arrays["column_7"].Data);
        Assert.Equal("DDEC6 net atomic charges", s.Info["comment"]);
        // Extended XYZ declares its columns: extra ones stay an error there.
        Assert.Throws<InputException>(() => Read(xyz.Replace("DDEC6 net atomic charges", "Properties=species:S:1:pos:R:3"), "c.extxyz", "extxyz"));
    }

    private const string StructureBlock = "data_structure\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n" +
        "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nCu1 0 0 0\n";
    private const string PowderBlock = "data_pattern\n_pd_meas_number_of_points 3\nloop_\n_pd_meas_2theta_scan\n_pd_meas_intensity_total\n10.0 5\n10.1\n10.2 7\n";

    [Fact]
    public void A_CIF_with_a_damaged_powder_pattern_block_reads_its_structure_block()
    {
        var structures = Read(StructureBlock + PowderBlock, "two.cif", "cif");
        Assert.Equal("Cu", Assert.Single(structures).Formula);
        structures = Read(PowderBlock + StructureBlock, "two.cif", "cif");
        Assert.Equal("Cu", Assert.Single(structures).Formula);
    }

    [Fact]
    public void A_CIF_whose_only_damaged_block_is_skipped_says_which_and_why()
    {
        var e = Assert.Throws<InputException>(() => Read(PowderBlock, "powder.cif", "cif"));
        Assert.Contains("no data block has atom sites; data_pattern was skipped: loop starting at line 3 has 5 values", e.Message);
        Assert.Equal(8, e.Line);
    }

    [Fact]
    public void A_damaged_structure_block_is_an_error_even_when_another_block_reads()
    {
        string damaged = StructureBlock.Replace("data_structure", "data_broken").Replace("Cu1 0 0 0\n", "Cu1 0 0\n");
        Assert.Throws<InputException>(() => Read(StructureBlock + damaged, "two.cif", "cif"));
    }

    private const string Disordered = "data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\nloop_\n_atom_site_label\n" +
        "_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\n" +
        "Nb1 Nb 0 0 0 0.8\nZr1 Zr 0 0 0 0.2\nO1 O 0.5 0.5 0.5 1\n";

    [Fact]
    public void Partial_sites_are_refused_unless_kept_on_request_and_then_carry_their_occupancy()
    {
        string cif = Path.Combine(Dir, "disordered.cif");
        File.WriteAllText(cif, Disordered);
        var (code, _, error) = Run("info", cif);
        Assert.Equal(2, code);
        Assert.Contains("--keep-partial-sites", error);

        (code, string output, error) = Run("info", cif, "--keep-partial-sites");
        Assert.True(code == 0, error);
        Assert.Contains("2 partially occupied sites (occupancies sum to 2.000 atoms)", output);

        string extxyz = Path.Combine(Dir, "kept.extxyz"), written = Path.Combine(Dir, "kept.cif");
        Assert.Equal(0, Run("convert", cif, extxyz, "--keep-partial-sites").Code);
        Assert.Equal(new[] { 0.8, 0.2, 1.0 }, StructureFile.ReadFrame(extxyz).Arrays["occupancy"].AsReal);
        Assert.Equal(0, Run("convert", cif, written, "--keep-partial-sites").Code);
        var again = StructureFile.ReadFrame(written, cif: new CifReadOptions(AllowPartialOccupancy: true));
        Assert.Equal(new[] { 0.8, 0.2, 1.0 }, again.Arrays["occupancy"].AsReal);
    }
}
