using MDEngine.Neighbors;
using MDEngine.Potentials;

namespace MDEngine.ML.Tests.Mace;

/// <summary>An evaluation with forces and stress (the kernels' autograd functions included) writes nothing to the
/// console: a command's output must stay the command's own. TorchSharp's autograd context prints a warning for every
/// tensor kept in its data slots instead of save_for_backward.</summary>
[Collection(ConsoleCollection.Name)]
public class MaceQuietTests
{
    [Fact]
    public void EvaluationPrintsNothing()
    {
        var s = MaceFixture.Frames[0].Structure;
        var output = new StringWriter();
        var (savedOut, savedError) = (Console.Out, Console.Error);
        try
        {
            Console.SetOut(output);
            Console.SetError(output);
            var result = MaceFixture.Potential.Compute(s, NeighborListBuilder.Build(s, MaceFixture.Potential.Cutoff, full: true), Quantities.All);
            Assert.NotNull(result.Forces);
        }
        finally { Console.SetOut(savedOut); Console.SetError(savedError); }
        Assert.Equal("", output.ToString());
    }
}

/// <summary>Tests that redirect the process's console run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console redirection";
}
