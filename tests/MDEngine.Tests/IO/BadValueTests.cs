using System.IO.Compression;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.IO;

/// <summary>No bad number gets through a reader or out of a writer: NaN, infinities and numbers that overflow once
/// scaled are refused with the file, the line and the problem; the command line turns that into one line and exit
/// code 2, and writes nothing.</summary>
public sealed class BadValueTests() : TempDirectoryTests("mdengine-badvalue-")
{
    private const string Cif = "data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n";
    private const string CifSites = "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n";

    public static TheoryData<string, string, int, string> NonFiniteFiles => new()
    {
        // extended XYZ: positions, overflow while parsing, velocities, momenta, forces, energy, stress, lattice
        { "overflow.extxyz", "1\n\nH 0 0 0.1e999\n", 3, "pos: '0.1e999' is not a finite number" },
        { "velocities.extxyz", "1\nProperties=species:S:1:pos:R:3:velocities:R:3\nH 0 0 0 0 nan 0\n", 3, "velocities: 'nan' is not a finite number" },
        { "momenta.extxyz", "1\nProperties=species:S:1:pos:R:3:momenta:R:3\nH 0 0 0 -Infinity 0 0\n", 3, "momenta: '-Infinity' is not a finite number" },
        { "forces.extxyz", "1\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 0 0 1e400\n", 3, "forces: '1e400' is not a finite number" },
        { "energy.extxyz", "1\nenergy=nan\nH 0 0 0\n", 2, "energy is not a finite number" },
        { "stress.extxyz", "1\nLattice=\"3 0 0 0 3 0 0 0 3\" stress=\"1 0 0 0 inf 0 0 0 1\"\nH 0 0 0\n", 2, "stress is not a finite number" },
        { "lattice.extxyz", "1\nLattice=\"3 0 0 0 1e999 0 0 0 3\"\nH 0 0 0\n", 2, "Lattice has a number that is not finite" },
        { "mass.extxyz", "1\nProperties=species:S:1:pos:R:3:masses:R:1:momenta:R:3\nH 0 0 0 1e-320 1e300 0 0\n", 1, "velocity of atom 0 is not a finite number" },
        // POSCAR: numbers, a scale factor that overflows the cell, velocities
        { "POSCAR_nan", "x\n1.0\n3 0 0\n0 3 0\n0 0 3\nH\n1\nDirect\n0 nan 0\n", 9, "coordinate 'nan' is not a finite number" },
        { "POSCAR_scale", "x\n1e308\n10 0 0\n0 10 0\n0 0 10\nH\n1\nDirect\n0 0 0\n", 2, "the cell is not a finite number" },
        { "POSCAR_lattice", "x\n1.0\n3 0 0\n0 inf 0\n0 0 3\nH\n1\nDirect\n0 0 0\n", 4, "lattice 'inf' is not a finite number" },
        { "POSCAR_velocity", "x\n1.0\n3 0 0\n0 3 0\n0 0 3\nH\n1\nCartesian\n0 0 0\n\n0 0 NaN\n", 11, "velocity 'NaN' is not a finite number" },
        // CIF: cell, coordinates, a symmetry operation with a huge fraction, a cell so large that positions overflow
        { "length.cif", "data_x\n_cell_length_a inf\n_cell_length_b 4\n_cell_length_c 4\n" + CifSites + "H1 0 0 0\n", 2, "_cell_length_a 'inf' is not a number" },
        { "coordinate.cif", Cif + CifSites + "H1 0 0.1e999 0\n", 10, "coordinate '0.1e999' is not a finite number" },
        { "operation.cif", Cif + "loop_\n_symmetry_equiv_pos_as_xyz\n'x,y+" + new string('1', 400) + "/2,z'\n" + CifSites + "H1 0.1 0.2 0.3\n", 7, "is not a finite number below 1000" },
        { "huge.cif", "data_x\n_cell_length_a 1e300\n_cell_length_b 1e300\n_cell_length_c 1e300\n" + CifSites + "H1 0.5 0.5 0.5\n", 2, "the cell volume overflows" },
    };

    [Theory]
    [MemberData(nameof(NonFiniteFiles))]
    public void Non_finite_numbers_are_refused_naming_file_line_and_problem(string name, string text, int line, string problem)
    {
        string input = Path.Combine(Dir, name);
        File.WriteAllText(input, text);
        var e = Assert.Throws<InputException>(() => StructureFile.Read(input));
        Assert.Equal(input, e.FileName);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Problem);

        string output = Path.Combine(Dir, "out.extxyz");
        var (code, stdout, stderr) = Run("convert", input, output);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains($"{input}:{line}: ", stderr);
        Assert.Equal("", stdout);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Writers_refuse_non_finite_numbers_and_write_nothing()
    {
        var s = new Structure([1, 1], [new Vec3(0, 0, 0), new Vec3(0, 0, 0.74)], new Cell(Mat3.Diagonal(5, 5, 5)), Pbc.All);
        s.Energy = double.NaN;
        foreach (string name in new[] { "a.extxyz", "a.cif", "POSCAR" })
        {
            string path = Path.Combine(Dir, name);
            var e = Assert.Throws<InputException>(() => StructureFile.Write(path, s));
            Assert.Contains("energy is not a finite number: nothing written", e.Message);
            Assert.False(File.Exists(path));
        }
        s.Energy = -1;
        s.Positions[1] = new Vec3(0, double.PositiveInfinity, 0);
        var writer = new StringWriter();
        using (var xyz = new ExtXyzWriter(writer, leaveOpen: true))
            Assert.Contains("position of atom 1", Assert.Throws<InputException>(() => xyz.Write(s)).Message);
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void A_missing_input_is_reported_as_missing_before_its_name_is_asked_for_a_format()
    {
        var (code, _, error) = Run("convert", "/nonexistent", Path.Combine(Dir, "x.extxyz"));
        Assert.Equal(2, code);
        Assert.Equal("error: /nonexistent: no such file", error.Trim());
    }

    [Fact]
    public void Output_into_a_missing_folder_is_one_clear_line_and_leaves_nothing()
    {
        string input = Path.Combine(Dir, "in.extxyz");
        File.WriteAllText(input, "1\n\nH 0 0 0\n");
        var (code, _, error) = Run("convert", input, Path.Combine(Dir, "missing", "out.extxyz"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist: nothing written", error);
        Assert.DoesNotContain(".tmp", error);
        Assert.False(Directory.Exists(Path.Combine(Dir, "missing")));
    }

    [Fact]
    public void Control_bytes_from_the_input_are_printed_escaped()
    {
        string input = Path.Combine(Dir, "esc.extxyz");
        File.WriteAllText(input, "1\n\n\u001b[31mX\u0007 0 0 0\n");
        var (code, _, error) = Run("info", input);
        Assert.Equal(2, code);
        Assert.Contains("\\x1B[31mX\\x07", error);
        Assert.DoesNotContain('\u001b', error);
        Assert.DoesNotContain('\u0007', error);
    }

    [Fact]
    public void A_gzip_file_that_unpacks_to_one_huge_line_is_refused_without_holding_it()
    {
        string path = Path.Combine(Dir, "bomb.extxyz.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write("1\n"u8);
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'x');
            for (int k = 0; k < 12; k++) gzip.Write(block); // 12 MB of one comment line
        }
        Assert.True(new FileInfo(path).Length < 100_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InputException>(() => StructureFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2, e.Line);
        Assert.Contains($"line longer than {LineReader.MaxLineLength} characters", e.Problem);
        Assert.True(allocated < 200_000_000, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData(0.30000000000000004, "0.3")]
    [InlineData(0.5000000000000001, "0.5")]
    [InlineData(2.9250000000000003, "2.925")]
    [InlineData(0.10653594771241831, "0.10653594771242")]
    [InlineData(-0.0, "0.0")]
    [InlineData(1e-20, "1e-20")]
    public void Numbers_in_CIF_and_POSCAR_are_written_as_people_read_them(double value, string text)
    {
        Assert.Equal(text, NumberText.Readable(value));
        Assert.True(Math.Abs(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) - value) <= 1e-14 * Math.Max(1, Math.Abs(value)));
    }

    [Theory]
    [InlineData("2\r\n\r\nH 0 0 0\r\nH 0 0 1\r\n")]
    [InlineData("2\r\rH 0 0 0\rH 0 0 1")]
    [InlineData("2\n\nH 0 0 0\nH 0 0 1")]
    public void Lines_end_at_any_of_the_usual_line_endings(string text)
    {
        var s = StructureFile.ReadText(new StringReader(text), "x.xyz", "xyz")[0];
        Assert.Equal(new Vec3(0, 0, 1), s.Positions[1]);
    }
}
