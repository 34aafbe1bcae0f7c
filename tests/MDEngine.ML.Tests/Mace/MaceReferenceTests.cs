using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.Mace;

/// <summary>Every fixture structure against mace-torch's float64 energy, forces and stress.</summary>
public class MaceReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<int> FrameIndices => new() { 0, 1, 2, 3, 4 };

    [Theory]
    [MemberData(nameof(FrameIndices))]
    public void Float64MatchesMaceTorch(int index)
    {
        var frame = MaceFixture.Frames[index];
        var potential = MaceFixture.Potential;
        var neighbors = NeighborListBuilder.Build(frame.Structure, potential.Cutoff, full: true);
        Assert.Equal(frame.Edges, neighbors.Distances.Take(neighbors.Count).Count(d => d < potential.Cutoff));
        var result = potential.Compute(frame.Structure, neighbors, Quantities.All);
        // The reference forces are written with 8 decimals: per component they are exact to 5e-9.
        double maxForceError = frame.Forces.Zip(result.Forces!, (a, b) => Math.Max(Math.Abs(a.X - b.X), Math.Max(Math.Abs(a.Y - b.Y), Math.Abs(a.Z - b.Z)))).Max();
        output.WriteLine($"frame {index}: energy {result.Energy:R} (ref {frame.Energy:R}), max |ΔF| {maxForceError:E2}");
        Assert.True(Math.Abs(result.Energy - frame.Energy) <= 1e-8 * Math.Abs(frame.Energy), $"energy {result.Energy:R} vs {frame.Energy:R}");
        Assert.True(maxForceError <= 1e-8, $"max force error {maxForceError:E3}");
        if (frame.Stress is { } reference)
        {
            double stressError = (result.Stress!.Value - reference).MaxAbs();
            output.WriteLine($"  max |Δσ| {stressError:E2}");
            Assert.True(stressError <= 1e-9, $"max stress error {stressError:E3}");
        }
        else Assert.Null(result.Stress);
    }
}
