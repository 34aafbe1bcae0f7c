using MDEngine.IO;

namespace MDEngine.Tests.IO;

/// <summary>Damaged copies of the corpus files (truncated, lines dropped or doubled, characters replaced) must
/// either read or fail with an <see cref="InputException"/> that names a line inside the file, never with another
/// exception.</summary>
public class MalformedInputTests
{
    [Theory]
    [InlineData("multi.extxyz", "extxyz")]
    [InlineData("methane.xyz", "xyz")]
    [InlineData("vec_cell.extxyz", "extxyz")]
    [InlineData("ase_triclinic.cif", "cif")]
    [InlineData("cif_hand/awkward.cif", "cif")]
    [InlineData("cif_hand/wurtzite_cod_style.cif", "cif")]
    [InlineData("POSCAR_selective", "vasp")]
    [InlineData("POSCAR_vasp4", "vasp")]
    public void DamagedFilesFailOnlyWithInputExceptions(string name, string format)
    {
        string[] lines = File.ReadAllLines(IoReference.PathOf(name));
        var random = new Random(name.Length * 7919 + lines.Length);
        const string junk = " \t'\";_#-+.0123456789eExyzTF=:{}[]?";
        int failures = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            var damaged = lines.ToList();
            switch (trial % 4)
            {
                case 0: damaged = damaged.Take(random.Next(damaged.Count)).ToList(); break;
                case 1: damaged.RemoveAt(random.Next(damaged.Count)); break;
                case 2: { int i = random.Next(damaged.Count); damaged.Insert(i, damaged[i]); break; }
                default:
                    for (int k = 0; k < 3; k++)
                    {
                        int i = random.Next(damaged.Count);
                        if (damaged[i].Length == 0) continue;
                        var chars = damaged[i].ToCharArray();
                        chars[random.Next(chars.Length)] = junk[random.Next(junk.Length)];
                        damaged[i] = new string(chars);
                    }
                    break;
            }
            string text = string.Join("\n", damaged) + "\n";
            try { StructureFile.ReadText(new StringReader(text), name, format); }
            catch (InputException e)
            {
                failures++;
                Assert.True(e.Line is null || (e.Line >= 1 && e.Line <= Math.Max(damaged.Count, 1) + 1), $"line {e.Line} outside the file: {e.Message}");
            }
            catch (Exception e)
            {
                Assert.Fail($"trial {trial}: {e.GetType().Name}: {e.Message}\n{text}");
            }
        }
        Assert.True(failures > 0, "no damaged copy was refused");
    }
}
