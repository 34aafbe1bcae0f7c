using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Tests.IO;

// The space-group hook is process-wide: tests that replace it share one collection, so they never run concurrently.
public class CifTests
{
    private static List<Structure> ReadCif(string name, CifReadOptions? options = null)
    {
        using var reader = new StreamReader(IoReference.PathOf(name));
        return CifReader.Read(reader, name, options);
    }

    /// <summary>Same atoms at the same places, in any order (positions compared modulo lattice translations).</summary>
    private static void AssertSameCrystal(System.Text.Json.JsonElement expected, Structure s, double tolerance)
    {
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("cell")), s.Cell.Matrix.ToArray(), 1e-12, "cell");
        var numbers = expected.GetProperty("numbers").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var positions = IoReference.Vectors(expected.GetProperty("positions"));
        Assert.Equal(numbers.Length, s.Count);
        var used = new bool[s.Count];
        for (int i = 0; i < numbers.Length; i++)
        {
            int match = Enumerable.Range(0, s.Count).FirstOrDefault(j => !used[j] && s.Numbers[j] == numbers[i] && PeriodicDistance(positions[i], s.Positions[j], s.Cell) < tolerance, -1);
            Assert.True(match >= 0, $"no atom of Z={numbers[i]} at {positions[i]}");
            used[match] = true;
        }
    }

    private static double PeriodicDistance(Vec3 a, Vec3 b, Cell cell)
    {
        var d = cell.ToFractional(a - b);
        d = new Vec3(d.X - Math.Round(d.X), d.Y - Math.Round(d.Y), d.Z - Math.Round(d.Z));
        return cell.ToCartesian(d).Length;
    }

    [Fact]
    public void AseWrittenTriclinicCifReadsAsAseReadsIt()
    {
        var s = Assert.Single(ReadCif("ase_triclinic.cif"));
        IoReference.AssertMatches(IoReference.Frames("ase_triclinic.cif")[0], s, 1e-12);
    }

    [Theory]
    [InlineData("cif_hand/wurtzite_cod_style.cif")]   // COD layout, 2/3 written as 0.66667, uncertainties, ids
    [InlineData("cif_hand/cscl_pymatgen_style.cif")]  // pymatgen layout, oxidation-state type symbols
    public void CifsInOtherWritersLayoutsReadAsAse(string name)
    {
        var s = Assert.Single(ReadCif(name));
        IoReference.AssertMatches(IoReference.Frames(name)[0], s, 1e-12);
    }

    [Fact]
    public void SymmetryOperationsExpandDiamondAsAse()
    {
        var s = Assert.Single(StructureFile.Read(IoReference.PathOf("si_fd3m.cif")));
        Assert.Equal(8, s.Count);
        AssertSameCrystal(IoReference.Frames("si_fd3m.cif")[0], s, 1e-9);
    }

    [Fact]
    public void AwkwardFileTokenizesAndExpandsEveryBlock()
    {
        var blocks = ReadCif("cif_hand/awkward.cif");
        Assert.Equal(2, blocks.Count); // the publication block has no atoms
        var rutile = blocks[0];
        // ASE's order and positions: Ti on 2a, O on 4f, duplicates from special positions merged.
        IoReference.AssertMatches(IoReference.Frames("cif_hand/awkward.cif#rutile")[0], rutile, 1e-12);
        Assert.Equal(4.5937, rutile.Cell.Parameters().A, 12);

        // Labels only ("NA1", "Cl2"), F centring and inversion: 4 Na + 4 Cl, by hand.
        var nacl = blocks[1];
        Assert.Equal("Cl4Na4", nacl.Formula);
        var fractional = nacl.FractionalPositions();
        var expectedNa = new[] { new Vec3(0, 0, 0), new Vec3(0, 0.5, 0.5), new Vec3(0.5, 0, 0.5), new Vec3(0.5, 0.5, 0) };
        var expectedCl = new[] { new Vec3(0.5, 0.5, 0.5), new Vec3(0.5, 0, 0), new Vec3(0, 0.5, 0), new Vec3(0, 0, 0.5) };
        IoReference.AssertClose(Structure.FromVec3(expectedNa.Concat(expectedCl).ToArray()), Structure.FromVec3(fractional), 1e-15, "fractional");
        Assert.All(nacl.Numbers[..4], z => Assert.Equal(11, z));
    }

    [Fact]
    public void BlocksAreChosenByIndexOrName()
    {
        Assert.Equal("O4Ti2", Assert.Single(ReadCif("cif_hand/awkward.cif", new CifReadOptions(BlockName: "RUTILE"))).Formula);
        Assert.Equal("Cl4Na4", Assert.Single(ReadCif("cif_hand/awkward.cif", new CifReadOptions(BlockIndex: 2))).Formula);
        var e = Assert.Throws<InputException>(() => ReadCif("cif_hand/awkward.cif", new CifReadOptions(BlockIndex: 0)));
        Assert.Contains("no _cell_length_a", e.Message);
        Assert.Throws<InputException>(() => ReadCif("cif_hand/awkward.cif", new CifReadOptions(BlockName: "nope")));
    }

    [Fact]
    public void PartialOccupancyIsRefusedUnlessAsked()
    {
        var e = Assert.Throws<InputException>(() => ReadCif("cif_hand/partial.cif"));
        Assert.Equal(17, e.Line);
        Assert.Contains("site Au1 (Au) has partial occupancy 0.5", e.Message);
        var s = Assert.Single(ReadCif("cif_hand/partial.cif", new CifReadOptions(AllowPartialOccupancy: true)));
        Assert.Equal(3, s.Count);
        Assert.Equal(new[] { 1.0, 0.5, 0.5 }, s.Arrays["occupancy"].AsReal);
    }

    [Fact]
    public void SpaceGroupWithoutOperationsNeedsASourceOfOperations()
    {
        var e = Assert.Throws<InputException>(() => ReadCif("cif_hand/symbol_only.cif", new CifReadOptions(SpaceGroupOperations: _ => null)));
        Assert.Contains("needs the space-group database", e.Message);
        Assert.Equal(8, e.Line);

        var operations = IoReference.Frames("spacegroup_225_operations").Select(o =>
        {
            var r = o.GetProperty("R").EnumerateArray().Select(row => row.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();
            var t = IoReference.Reals(o.GetProperty("t"));
            return new SymmetryOperation(IntMat3.FromArray(r.SelectMany(row => row).ToArray()), new Vec3(t[0], t[1], t[2]));
        }).ToList();
        var asked = new List<string>();
        var s = Assert.Single(ReadCif("cif_hand/symbol_only.cif",
            new CifReadOptions(SpaceGroupOperations: name => { asked.Add(name); return name == "225" ? operations : null; })));
        Assert.Equal(new[] { "F m -3 m", "225" }, asked);
        AssertSameCrystal(IoReference.Frames("cif_hand/symbol_only.cif")[0], s, 1e-12);
    }

    [Fact]
    public void P1WriterRoundTripsFractionalCoordinates()
    {
        var s = Assert.Single(ReadCif("ase_triclinic.cif"));
        s.SetPositions(s.Positions.Select(p => p + new Vec3(1e-3 / 3, 0, Math.PI * 1e-4)).ToArray());
        var text = new StringWriter();
        CifWriter.Write(text, s);
        var back = Assert.Single(CifReader.Read(new StringReader(text.ToString()), "written.cif"));
        Assert.Equal(s.Numbers, back.Numbers);
        IoReference.AssertClose(s.Cell.Matrix.ToArray(), back.Cell.Matrix.ToArray(), 1e-14, "cell");
        IoReference.AssertClose(Structure.FromVec3(s.Positions), Structure.FromVec3(back.Positions), 1e-13, "positions");
    }

    [Theory]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_cell_length_c 1\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nXx1 0 0 0\n", 10, "site Xx1: 'Xx1' does not start with an element symbol")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_cell_length_c 1\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nH1 0 0 0\nH2 0 0\n", 11, "not a multiple of its 4 tags")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_cell_length_c 1\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nH1 0 nan 0\n", 10, "coordinate 'nan' is not a finite number")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_cell_length_c 1\n_cell_angle_alpha 120\n_cell_angle_beta 120\n_cell_angle_gamma 120\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nH1 0 0 0\n", 5, "singular cell")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_cell_length_c 1\nloop_\n_symmetry_equiv_pos_as_xyz\n'x,y'\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nH1 0 0 0\n", 7, "does not have three components")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_title\n;\nnever closed\n", 5, "text field opened with ';' is never closed")]
    [InlineData("data_x\n_title 'open quote\n", 2, "is not closed on its line")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_a 2\n", 3, "appears twice")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_cell_length_c 1\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\nH1 0 0 0 1.5\n", 11, "occupancy '1.5' is not in (0, 1]")]
    [InlineData("_cell_length_a 1\n", 1, "before any data_ block")]
    [InlineData("data_x\n_cell_length_a 1\n_cell_length_b 1\n_cell_length_c 1\n_atom_site_label H1\nloop_\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n0 0 0\n0.5 0.5 0.5\n", 5, "_atom_site_label has 1 values for 2 sites")]
    public void BadCifNamesTheLine(string text, int line, string problem)
    {
        var e = Assert.Throws<InputException>(() => CifReader.Read(new StringReader(text), "bad.cif"));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void CartesianSitesUseTheStandardOrientation()
    {
        const string text = "data_c\n_cell_length_a 4\n_cell_length_b 5\n_cell_length_c 6\n_cell_angle_gamma 120\n" +
            "loop_\n_atom_site_type_symbol\n_atom_site_Cartn_x\n_atom_site_Cartn_y\n_atom_site_Cartn_z\nC 1.0 2.0 3.0\n";
        var s = Assert.Single(CifReader.Read(new StringReader(text), "c.cif"));
        Assert.Equal(Cell.FromParameters(4, 5, 6, 90, 90, 120), s.Cell);
        IoReference.AssertClose([1.0, 2.0, 3.0], Structure.FromVec3(s.Positions), 1e-14, "position");
    }

    [Theory]
    [InlineData("x,y+1/2,-z+0.25", new[] { 1, 0, 0, 0, 1, 0, 0, 0, -1 }, 0, 0.5, 0.25)]
    [InlineData("-x+y, 1/2+x, z", new[] { -1, 1, 0, 1, 0, 0, 0, 0, 1 }, 0, 0.5, 0)]
    [InlineData("+X,+Y,+Z-1/3", new[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 0, 0, -1.0 / 3)]
    [InlineData("2/3+x-y,1/3+x,-z+5/6", new[] { 1, -1, 0, 1, 0, 0, 0, 0, -1 }, 2.0 / 3, 1.0 / 3, 5.0 / 6)]
    public void SymmetryOperationParsesCifTriplets(string text, int[] r, double tx, double ty, double tz)
    {
        Assert.True(SymmetryOperation.TryParse(text, out var op, out string problem), problem);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) Assert.Equal(r[3 * i + j], op.Rotation[i, j]);
        Assert.Equal(new Vec3(tx, ty, tz), op.Translation);
    }

    [Theory]
    [InlineData("x,y", "does not have three components")]
    [InlineData("x,,z", "has an empty component")]
    [InlineData("x,y,z+a", "unexpected 'a'")]
    [InlineData("x/2,y,z", "are not integers")]
    [InlineData("x,x,z", "determinant 0")]
    public void SymmetryOperationProblemsAreNamed(string text, string problem)
    {
        Assert.False(SymmetryOperation.TryParse(text, out _, out string message));
        Assert.StartsWith($"symmetry operation '{text}'", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void TripletsAllowFractionalFactorsAndExplicitProducts()
    {
        var t = AffineTriplet.Parse("(x/2, 2*y, -z+1/4)");
        Assert.Equal(new Mat3(0.5, 0, 0, 0, 2, 0, 0, 0, -1), t.Matrix);
        Assert.Equal(new Vec3(0, 0, 0.25), t.Offset);
    }
}
