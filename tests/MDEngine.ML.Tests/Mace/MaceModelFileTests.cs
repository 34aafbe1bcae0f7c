using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.Mace;

/// <summary>mace-torch <c>.model</c> files read directly (no Python), against mace-torch's own float64 results.</summary>
public class MaceModelFileTests(ITestOutputHelper output)
{
    /// <summary>Worst differences of a potential against the frames' stored results (energy relative; forces eV/Å;
    /// stress eV/Å³).</summary>
    internal static (double Energy, double Forces, double Stress) Compare(Potential potential, IEnumerable<Structure> frames)
    {
        double e = 0, f = 0, s = 0;
        foreach (var frame in frames)
        {
            var list = NeighborListBuilder.Build(frame, potential.Cutoff, full: true);
            var what = Quantities.EnergyAndForces | (frame.Pbc.AllPeriodic ? Quantities.Stress : 0);
            var r = potential.Compute(frame, list, what);
            e = Math.Max(e, Math.Abs(r.Energy - frame.Energy!.Value) / Math.Abs(frame.Energy.Value));
            for (int a = 0; a < frame.Count; a++) f = Math.Max(f, (r.Forces![a] - frame.Forces![a]).Length);
            if (frame.Stress is { } stress) s = Math.Max(s, (r.Stress!.Value - stress).MaxAbs());
        }
        return (e, f, s);
    }

    [Fact]
    public void MaceMp0ArchitectureFromItsModelFileEqualsMaceTorchInFloat64()
    {
        var potential = MaceFamilyFixture.Load("mp0");
        var (e, f, s) = Compare(potential, MaceFamilyFixture.Frames("mp0"));
        output.WriteLine($"mp0 float64: energy {e:E2} relative, forces {f:E2} eV/Å, stress {s:E2} eV/Å³");
        Assert.True(e < 1e-10 && f < 1e-9 && s < 1e-10, $"energy {e:E2}, forces {f:E2}, stress {s:E2}");
    }

    [Theory]
    [InlineData("mp0")]
    [InlineData("mpa")]
    [InlineData("multihead")]
    [InlineData("off")]
    [InlineData("newest")]
    public void EveryArchitectureInFloat32IsWithinFloat32RoundOffOfMaceTorch(string family)
    {
        var potential = MaceFamilyFixture.Load(family, new MaceOptions { Device = "cpu", DType = TorchSharp.torch.ScalarType.Float32 });
        string head = potential.Config.Heads[potential.Model.Head];
        var (e, f, s) = Compare(potential, MaceFamilyFixture.Frames(family, potential.Config.Heads.Length > 1 ? head : null));
        output.WriteLine($"{family} float32: energy {e:E2} relative, forces {f:E2} eV/Å, stress {s:E2} eV/Å³");
        Assert.True(e < 1e-5, $"energy {e:E2}");
    }

    [Fact]
    public void MaceOffArchitectureWithAPlainFirstInteractionEqualsMaceTorchInFloat64()
    {
        var potential = MaceFamilyFixture.Load("off");
        Assert.Equal(MaceConfig.PlainInteraction, potential.Config.InteractionClsFirst);
        var (e, f, s) = Compare(potential, MaceFamilyFixture.Frames("off"));
        output.WriteLine($"off float64: energy {e:E2} relative, forces {f:E2} eV/Å, stress {s:E2} eV/Å³");
        Assert.True(e < 1e-10 && f < 1e-9 && s < 1e-10, $"energy {e:E2}, forces {f:E2}, stress {s:E2}");
    }

    [Theory]
    [InlineData("pt_head")]
    [InlineData("Default")]
    public void EachHeadOfAMultiHeadModelEqualsMaceTorchInFloat64(string head)
    {
        var potential = MaceFamilyFixture.Load("multihead", new MaceOptions { Device = "cpu", Head = head });
        var frames = MaceFamilyFixture.Frames("multihead", head);
        Assert.NotEmpty(frames);
        var (e, f, s) = Compare(potential, frames);
        output.WriteLine($"multihead/{head} float64: energy {e:E2} relative, forces {f:E2} eV/Å, stress {s:E2} eV/Å³");
        Assert.True(e < 1e-10 && f < 1e-9 && s < 1e-10, $"energy {e:E2}, forces {f:E2}, stress {s:E2}");
    }

    [Fact]
    public void WithoutAHeadTheDefaultHeadIsUsedAsMaceTorchsCalculatorDoes()
    {
        var potential = MaceFamilyFixture.Load("multihead");
        Assert.Equal("Default", potential.Config.Heads[potential.Model.Head]);
        var e = Assert.Throws<MaceModelException>(() => MaceFamilyFixture.Load("multihead", new MaceOptions { Device = "cpu", Head = "omat" }));
        Assert.Contains("pt_head", e.Message);
    }

    [Fact]
    public void MaceMpaArchitectureWithDensityBlocksZblAndAgnesiEqualsMaceTorchInFloat64()
    {
        var potential = MaceFamilyFixture.Load("mpa");
        Assert.True(potential.Config.PairRepulsion);
        Assert.Equal("Agnesi", potential.Config.DistanceTransform);
        var (e, f, s) = Compare(potential, MaceFamilyFixture.Frames("mpa"));
        output.WriteLine($"mpa float64: energy {e:E2} relative, forces {f:E2} eV/Å, stress {s:E2} eV/Å³");
        Assert.True(e < 1e-10 && f < 1e-9 && s < 1e-10, $"energy {e:E2}, forces {f:E2}, stress {s:E2}");
    }

    [Theory]
    [InlineData("omat_pbe")]
    [InlineData("Default")]
    public void TheNewestArchitectureEqualsMaceTorchInFloat64ForEachHead(string head)
    {
        // Non-linear interaction blocks, edge_irreps, element-agnostic products, last-layer readout only, ZBL, Agnesi.
        var potential = MaceFamilyFixture.Load("newest", new MaceOptions { Device = "cpu", Head = head });
        Assert.True(potential.Config.UseAgnosticProduct && potential.Config.UseLastReadoutOnly);
        var (e, f, s) = Compare(potential, MaceFamilyFixture.Frames("newest", head));
        output.WriteLine($"newest/{head} float64: energy {e:E2} relative, forces {f:E2} eV/Å, stress {s:E2} eV/Å³");
        Assert.True(e < 1e-10 && f < 1e-9 && s < 1e-10, $"energy {e:E2}, forces {f:E2}, stress {s:E2}");
    }
}
