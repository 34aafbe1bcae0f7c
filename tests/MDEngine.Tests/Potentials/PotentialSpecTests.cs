using MDEngine.Potentials.Formats;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Potentials;
using MDEngine.Potentials.Eam;
using MDEngine.Potentials.ThreeBody;
using MDEngine.Structures;

namespace MDEngine.Tests.Potentials;

public class PotentialSpecTests
{
    private static string Lammps(string file) => Path.Combine(LammpsCase.DataDirectory, "lammps", file);
    private static int Z(string symbol) => Element.FromSymbol(symbol).Z;

    [Fact]
    public void AnalyticFormsParse()
    {
        var lj = Assert.IsType<LennardJones>(PotentialSpec.Parse("lj:epsilon=0.0104,sigma=3.40,cutoff=8.5,shift=true"));
        Assert.Equal((0.0104, 3.40, 8.5, true), (lj.Epsilon, lj.Sigma, lj.Cutoff, lj.Shift));
        var morse = Assert.IsType<Morse>(PotentialSpec.Parse(" morse: D=0.3429, alpha=1.3588, r0=2.866, cutoff=9 "));
        Assert.Equal((0.3429, 1.3588, 2.866, 9.0, false), (morse.D, morse.Alpha, morse.R0, morse.Cutoff, morse.Shift));
    }

    [Theory]
    [InlineData("lj:epsilon=0.01,sigma=3.4")]
    [InlineData("lj:epsilon=0.01,sigma=3.4,cutoff=abc")]
    [InlineData("lj:epsilon=0.01,sigma=3.4,cutoff=8,colour=red")]
    [InlineData("lj:epsilon=0.01,sigma=3.4,cutoff=8,shift=maybe")]
    [InlineData("lj:epsilon=0.01,epsilon=0.02,sigma=3.4,cutoff=8")]
    [InlineData("morse:D=1,alpha=1,cutoff=5")]
    [InlineData("lj:epsilon=0.0104,sigma=-3.4,cutoff=8")]
    [InlineData("lj:epsilon=0.0104,sigma=3.4,cutoff=0")]
    [InlineData("lj:epsilon=0.0104,sigma=3.4,cutoff=1e6")]
    [InlineData("lj:epsilon=-1,sigma=3.4,cutoff=8")]
    [InlineData("morse:D=1,alpha=-1,r0=2,cutoff=5")]
    [InlineData("morse:D=1,alpha=1,r0=2,cutoff=inf")]
    [InlineData("potential.xyz")]
    [InlineData("")]
    [InlineData("auto")]
    public void BadSpecificationsAreInputErrors(string spec) => Assert.Throws<InputException>(() => PotentialSpec.Parse(spec));

    [Fact]
    public void MissingFileIsReported() => Assert.Throws<FileNotFoundException>(() => PotentialSpec.Parse("/nonexistent/Cu.eam.alloy"));

    [Fact]
    public void FilesAreReadByExtension()
    {
        Assert.IsType<EmbeddedAtom>(PotentialSpec.Parse(Lammps("Cu_u3.eam")));
        Assert.IsType<EmbeddedAtom>(PotentialSpec.Parse(Lammps("CuNi.eam.alloy")));
        Assert.IsType<EmbeddedAtom>(PotentialSpec.Parse(Lammps("Fe_mm.eam.fs")));
        var sw = Assert.IsType<StillingerWeber>(PotentialSpec.Parse(Lammps("Si.sw")));
        Assert.Equal(new HashSet<int> { Z("Si") }, sw.Elements);
        var tersoff = Assert.IsType<Tersoff>(PotentialSpec.Parse(Lammps("SiC.tersoff")));
        Assert.Equal(new HashSet<int> { Z("Si"), Z("C") }, tersoff.Elements);
        Assert.Equal(new HashSet<int> { Z("Cu") }, PotentialSpec.Parse(Lammps("Cu_u3.eam")).Elements);
        Assert.Equal(new HashSet<int> { Z("Cu"), Z("Ni") }, PotentialSpec.Parse(Lammps("CuNi.eam.alloy")).Elements);
    }

    [Fact]
    public void MalformedFilesNameFileAndLine()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var sw = Path.Combine(dir.FullName, "bad.sw");
            File.WriteAllText(sw, "# comment\nSi Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.3333\n 7.04 0.60 4.0 0.0 zero\n");
            var e = Assert.Throws<InputException>(() => PotentialSpec.Parse(sw));
            Assert.Contains("bad.sw:2", e.Message);
            var eam = Path.Combine(dir.FullName, "bad.eam.alloy");
            File.WriteAllLines(eam, ["a", "b", "c", "1 Cu", "10 0.1 10 0.1 5.0", "29 63.5 3.6 fcc", "1 2 3"]);
            e = Assert.Throws<InputException>(() => PotentialSpec.Parse(eam));
            Assert.Contains("bad.eam.alloy", e.Message);
            Assert.Contains("F(rho) of Cu", e.Message);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void AutoPicksTheShippedPotentialCoveringTheElements()
    {
        Assert.EndsWith("Cu_Zhou04.eam.alloy", PotentialSpec.Parse("auto", [Z("Cu")]).Name);
        Assert.EndsWith("CuAgAuNiPdPtAl_Zhou04.eam.alloy", PotentialSpec.Parse("auto", [Z("Cu"), Z("Au"), Z("Cu")]).Name);
        Assert.EndsWith("Si_StillingerWeber85.sw", PotentialSpec.Parse("auto", [Z("Si")]).Name);
        var e = Assert.Throws<PotentialCoverageException>(() => PotentialSpec.Parse("auto", [Z("Cu"), Z("Fe")]));
        Assert.Contains("Fe", e.Message);
    }

    [Fact]
    public void BareNameFindsShippedFile()
    {
        var p = PotentialSpec.Parse("Ag_Zhou04.eam.alloy");
        Assert.Equal(new HashSet<int> { Z("Ag") }, p.Elements);
        Assert.Throws<FileNotFoundException>(() => PotentialSpec.Parse("Xx_missing.eam.alloy"));
    }

    private sealed class MarkerFormat(Potential marker) : PotentialFormat
    {
        public override string Name => "marker";
        public override string Help => "marker:test (a test format)";
        public override Potential? TryCreate(string spec) => spec == "marker:test" || spec.EndsWith(".sw") ? marker : null;
    }

    [Fact]
    public void AFormatAddedToARegistryComesFirstAndIsInItsHelp()
    {
        var marker = new LennardJones(0.5, 2.0, 5.0);
        var registry = PotentialRegistry.Classical().Add(new MarkerFormat(marker));
        Assert.Same(marker, registry.Parse("marker:test"));
        Assert.Same(marker, registry.Parse("claimed-before-the-classical-reader.sw"));
        Assert.IsType<Morse>(registry.Parse("morse:D=1,alpha=1,r0=2,cutoff=5"));
        // Help lists the formats in the order they were registered.
        Assert.StartsWith("a .eam/.eam.alloy/.eam.fs file", registry.Help);
        Assert.Contains(", marker:test (a test format), or auto", registry.Help);
        Assert.Throws<ArgumentException>(() => registry.Add(new MarkerFormat(marker)));
        // Another registry does not know it: no format is global.
        Assert.Throws<InputException>(() => PotentialRegistry.Classical().Parse("marker:test"));
        var unknown = Assert.Throws<InputException>(() => registry.Parse("nothing-claims-this"));
        Assert.Contains(registry.Help, unknown.Message);
    }

    [Fact]
    public void UncoveredElementIsACoverageError()
    {
        var potential = PotentialSpec.Parse(Lammps("CuNi.eam.alloy"));
        var s = new Structure([Z("Cu"), Z("Fe")], [new Vec3(0, 0, 0), new Vec3(2.5, 0, 0)]);
        var e = Assert.Throws<PotentialCoverageException>(() => PotentialConformance.Evaluate(potential, s, Quantities.Energy));
        Assert.Contains("Fe", e.Message);
    }

    /// <summary>Zhou et al. give Cu a = 3.615 Å (fcc) and E_c = 3.54 eV: the shipped file reproduces both.</summary>
    [Fact]
    public void ShippedCopperHasPublishedLatticeConstantAndCohesiveEnergy()
    {
        var potential = PotentialSpec.Parse("auto", [Z("Cu")]);
        double EnergyPerAtom(double a)
        {
            var s = Structure.FromFractional([29, 29, 29, 29], [new(0, 0, 0), new(0, .5, .5), new(.5, 0, .5), new(.5, .5, 0)], Cell.Cubic(a));
            return PotentialConformance.Evaluate(potential, s, Quantities.Energy).Energy / 4;
        }
        // Parabola through three points around the minimum.
        double h = 0.01, a0 = 3.615;
        double em = EnergyPerAtom(a0 - h), e0 = EnergyPerAtom(a0), ep = EnergyPerAtom(a0 + h);
        double aMin = a0 - h * (ep - em) / (2 * (ep - 2 * e0 + em));
        Assert.InRange(aMin, 3.610, 3.620);
        Assert.InRange(EnergyPerAtom(aMin), -3.55, -3.53);
    }
}
