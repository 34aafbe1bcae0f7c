using MDEngine.Geometry;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary>The in-flight batcher: a stream of structures relaxed within an atom budget gives each structure exactly
/// the result it has alone, reads the stream only as places free up, and never holds more atoms than the budget.</summary>
public class StreamingBatchTests
{
    private static readonly Potential Eam = PotentialSpec.Parse("auto", [29]);

    /// <summary>fcc Cu cells of 4·n atoms (n = 1, 2, 4, 8), cell strained and atoms rattled, different for every index.</summary>
    private static Structure Cell(int index)
    {
        var rng = new Random(index);
        int[] repeats = [1, 1, 1];
        for (int k = 0; k < index % 4; k++) repeats[k % 3] *= 2;
        var s = Supercell.Repeat(Structure.FromFractional([29, 29, 29, 29],
            [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5)], Structures.Cell.Cubic(3.58 + 0.04 * rng.NextDouble())),
            repeats[0], repeats[1], repeats[2]);
        s.SetPositions(s.Positions.Select(r => r + new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 0.15).ToArray());
        return s;
    }

    private static IOptimizable Target(Structure s, bool cell) => cell ? new FrechetCellFilter(s) : new AtomsOptimizable(s);

    public static IEnumerable<object[]> Optimizers() =>
    [
        ["fire", false], ["fire", true], ["bfgs", false], ["bfgs", true], ["lbfgs", false], ["lbfgs", true],
    ];

    private static Optimizer Make(string name) => name switch
    {
        "fire" => new Fire(),
        "bfgs" => new Bfgs(),
        _ => new Lbfgs(),
    };

    [Theory, MemberData(nameof(Optimizers))]
    public void EveryStructureEndsExactlyAsWhenRelaxedAlone(string optimizer, bool cell)
    {
        const int count = 12;
        var options = new RelaxOptions { Fmax = 0.01, MaxSteps = 150 };
        var alone = Enumerable.Range(0, count).Select(i =>
        {
            var calculator = new BoundPotential(Eam);
            return new Relaxation(Target(Cell(i), cell), Make(optimizer), calculator, options).Run();
        }).ToArray();

        var relaxer = new BatchRelaxer(Eam);
        var jobs = Enumerable.Range(0, count).Select(i => new RelaxJob($"{i}", Cell(i).Count, () => Target(Cell(i), cell)));
        var streamed = relaxer.Stream(jobs, () => Make(optimizer), maxBatchAtoms: 40, options).ToList();

        Assert.Equal(count, streamed.Count);
        foreach (var outcome in streamed)
        {
            var single = alone[int.Parse(outcome.Job.Key)];
            Assert.Equal(single.Steps, outcome.Result.Steps);
            Assert.Equal(single.FinalEnergy, outcome.Result.FinalEnergy);
            Assert.Equal(single.Structure.Positions, outcome.Result.Structure.Positions);
            Assert.Equal(single.Structure.Cell, outcome.Result.Structure.Cell);
        }
        Assert.True(relaxer.PeakBatchAtoms <= 40, $"peak {relaxer.PeakBatchAtoms} atoms");
    }

    [Fact]
    public void TheStreamIsReadOnlyAsPlacesFreeUpAndResultsLeaveAsTheyFinish()
    {
        int pulled = 0;
        IEnumerable<RelaxJob> Jobs()
        {
            for (int i = 0; i < 40; i++)
            {
                pulled++;
                int index = i;
                yield return new RelaxJob($"{index}", Cell(index).Count, () => new AtomsOptimizable(Cell(index)));
            }
        }
        var relaxer = new BatchRelaxer(Eam);
        int seen = 0;
        foreach (var outcome in relaxer.Stream(Jobs(), () => new Fire(), maxBatchAtoms: 24, new RelaxOptions { Fmax = 0.05 }))
        {
            if (seen++ == 0) Assert.True(pulled < 12, $"{pulled} jobs were read before the first result");
            Assert.True(outcome.Result.Converged);
        }
        Assert.Equal(40, seen);
        Assert.True(relaxer.PeakBatchAtoms <= 32, $"peak {relaxer.PeakBatchAtoms}"); // a 32-atom cell runs alone
    }
}
