using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using MDEngine.IO;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.IO;

/// <summary>
/// A mutation fuzzer over seeds of every format (fixed seed, a few thousand mutants within seconds): truncation, byte
/// flips, numeric extremes, NaN and infinities, wrong counts, unknown symbols, control bytes, duplicated and dropped
/// lines, and gzip garbage (the binary .traj has its own in AseTrajectoryTests). Every outcome must be structures with only finite numbers that can be written again, or
/// an <see cref="InputException"/>; through the command line, exit 0, or exit 2 with one line. Never another
/// exception (exit 1, a stack trace), never a hang, never a non-finite number in the output.
/// </summary>
public sealed partial class MutationFuzzTests() : TempDirectoryTests("mdengine-fuzz-")
{
    private const int Seed = 20261203;
    private const int MutantsPerSeed = 400;

    public static TheoryData<string, string> Seeds => new()
    {
        { "multi.extxyz", "extxyz" },
        { "methane.xyz", "xyz" },
        { "vec_cell.extxyz", "extxyz" },
        { "si_fd3m.cif", "cif" },
        { "cif_hand/wurtzite_cod_style.cif", "cif" },
        { "POSCAR_selective", "vasp" },
        { "POSCAR_vasp4", "vasp" },
        { "lammps/lammps_full.data", "lammps-data" },
        { "lammps/mdengine_written.data", "lammps-data" },
        { "lammps/lammps_custom.lammpstrj", "lammps-dump" },
    };

    private static readonly string[] Extremes =
        ["1e308", "-1e308", "0.1e999", "1e-320", "nan", "NaN", "inf", "-Infinity", "0", "-0", "99999999999999999999", "2147483648", "-1", "1e6", "1/0"];
    private static readonly string[] Symbols = ["Xx", "Wat", "Og", "Nh", "0.8Nb+0.2Zr", "fe", "Q", "\u001b[31m", "\0"];

    [GeneratedRegex(@"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\b[A-Z][a-z]?\b")]
    private static partial Regex SymbolPattern();

    private static string Mutate(string text, Random random)
    {
        switch (random.Next(8))
        {
            case 0: return text[..random.Next(text.Length + 1)];
            case 1:
            {
                var chars = text.ToCharArray();
                for (int k = 0, flips = 1 + random.Next(4); k < flips && chars.Length > 0; k++) chars[random.Next(chars.Length)] = (char)random.Next(0, 128);
                return new string(chars);
            }
            case 2 or 3:
            {
                var numbers = NumberPattern().Matches(text);
                if (numbers.Count == 0) return text;
                var m = numbers[random.Next(numbers.Count)];
                return text[..m.Index] + Extremes[random.Next(Extremes.Length)] + text[(m.Index + m.Length)..];
            }
            case 4:
            {
                var symbols = SymbolPattern().Matches(text);
                if (symbols.Count == 0) return text;
                var m = symbols[random.Next(symbols.Count)];
                return text[..m.Index] + Symbols[random.Next(Symbols.Length)] + text[(m.Index + m.Length)..];
            }
            case 5:
            {
                var lines = text.Split('\n').ToList();
                int i = random.Next(lines.Count);
                if (random.Next(2) == 0) lines.RemoveAt(i); else lines.Insert(i, lines[i]);
                return string.Join('\n', lines);
            }
            case 6:
            {
                // A wrong count: an integer on its own line (atom counts, header counts) changed.
                var lines = text.Split('\n');
                var counts = Enumerable.Range(0, lines.Length).Where(i => long.TryParse(lines[i].Trim().Split(' ')[0], out _)).ToList();
                if (counts.Count == 0) return text;
                int at = counts[random.Next(counts.Count)];
                lines[at] = random.Next(3) switch { 0 => "0", 1 => "-5", _ => (long.Parse(lines[at].Trim().Split(' ')[0]) + random.Next(-2, 3)).ToString() } + " " + string.Join(' ', lines[at].Trim().Split(' ').Skip(1));
                return string.Join('\n', lines);
            }
            default:
            {
                int at = random.Next(text.Length + 1);
                return text[..at] + (random.Next(2) == 0 ? "\u0001\u007f" : new string('7', random.Next(1, 400))) + text[at..];
            }
        }
    }

    /// <summary>Reads <paramref name="text"/>: structures with only finite numbers that write again (true), or an
    /// InputException (false).</summary>
    private static bool AssertReadsOrRefuses(string text, string name, string format, string what)
    {
        IReadOnlyList<Structures.Structure> frames;
        try { frames = StructureFile.ReadText(new StringReader(text), name, format); }
        catch (InputException) { return false; }
        catch (Exception e) { Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}\n--- mutant ---\n{text[..Math.Min(text.Length, 2000)]}"); return false; }
        foreach (var s in frames)
        {
            Assert.True(FiniteValues.FindProblem(s) is null, $"{what}: read a non-finite number: {FiniteValues.FindProblem(s)}");
            var written = new StringWriter();
            try { StructureFile.WriteText(written, [s], "extxyz"); }
            catch (Exception e) { Assert.Fail($"{what}: writing what was read failed: {e.GetType().Name}: {e.Message}"); }
            Assert.DoesNotContain("NaN", written.ToString());
            Assert.DoesNotContain("Infinity", written.ToString());
        }
        return true;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_mutant_reads_with_finite_values_or_fails_as_bad_input(string seed, string format)
    {
        string original = File.ReadAllText(IoReference.PathOf(seed));
        var random = new Random(Seed ^ StableHash(seed));
        var clock = Stopwatch.StartNew();
        int read = 0;
        for (int trial = 0; trial < MutantsPerSeed; trial++)
        {
            string mutant = Mutate(original, random);
            if (random.Next(4) == 0) mutant = Mutate(mutant, random);
            var one = Stopwatch.StartNew();
            if (AssertReadsOrRefuses(mutant, Path.GetFileName(seed), format, $"{seed} mutant {trial}")) read++;
            Assert.True(one.Elapsed.TotalSeconds < 2, $"{seed} mutant {trial} took {one.Elapsed.TotalSeconds:F1} s");
        }
        Assert.True(clock.Elapsed.TotalSeconds < 20, $"{MutantsPerSeed} mutants of {seed} took {clock.Elapsed.TotalSeconds:F1} s");
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        Assert.InRange(read, 1, MutantsPerSeed - 1);
    }

    // string.GetHashCode is randomised per process: a stable hash keeps the mutants the same in every run.
    private static int StableHash(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c));

    [Fact]
    public void Mutants_through_the_command_line_exit_0_or_2_with_one_line()
    {
        var random = new Random(Seed);
        var seeds = Seeds.Select(row => ((string)row[0], (string)row[1])).ToArray();
        for (int trial = 0; trial < 120; trial++)
        {
            var (seed, _) = seeds[trial % seeds.Length];
            string text = Mutate(File.ReadAllText(IoReference.PathOf(seed)), random);
            string input = Path.Combine(Dir, $"m{trial}_{Path.GetFileName(seed)}");
            File.WriteAllText(input, text);
            string output = Path.Combine(Dir, $"m{trial}.extxyz");
            var (code, stdout, stderr) = Run("convert", input, output);
            Assert.True(code is 0 or 2, $"{seed} mutant {trial}: exit {code}: {stderr}");
            if (code == 2)
            {
                Assert.Single(stderr.TrimEnd('\n').Split('\n'));
                Assert.StartsWith("error: ", stderr);
                Assert.False(File.Exists(output));
                Assert.DoesNotContain('\u001b', stderr);
            }
            else
            {
                string written = File.ReadAllText(output);
                Assert.DoesNotContain("NaN", written);
                Assert.DoesNotContain("Infinity", written);
            }
        }
    }

    [Fact]
    public void Gzip_garbage_fails_as_bad_input()
    {
        var random = new Random(Seed);
        byte[] text = File.ReadAllBytes(IoReference.PathOf("multi.extxyz"));
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(text);
        byte[] original = packed.ToArray();
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] bytes = trial % 2 == 0 ? original[..random.Next(original.Length)] : (byte[])original.Clone();
            if (trial % 2 == 1) for (int k = 0; k < 1 + trial % 4; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            string path = Path.Combine(Dir, "garbage.extxyz.gz");
            File.WriteAllBytes(path, bytes);
            try
            {
                foreach (var s in StructureFile.Read(path)) Assert.Null(FiniteValues.FindProblem(s));
            }
            catch (InputException) { }
            catch (Exception e) { Assert.Fail($"gzip mutant {trial}: {e.GetType().Name}: {e.Message}"); }
        }
    }
}
