using MDEngine.IO;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.Mace;

/// <summary>
/// A real trained MACE (the MACE tutorial's mace01, pickled by mace-torch 0.3.6 with e3nn 0.4.4; MIT licence) read
/// from its .model file reproduces the energies and forces that mace-torch wrote into its own MD trajectory. The
/// trajectory was run in float32, so it holds energies to float32 round-off of ~590 eV and forces to about 1e-5 eV/Å.
/// </summary>
public class MaceTutorialModelTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void TheTutorialModelReproducesTheEnergiesAndForcesOfItsOwnMdFrames()
    {
        var model = RealModels.Require("mace-tutorial-solvent-xtb/mace01_swa.model");
        var frames = StructureFile.Read(RealModels.Require("mace-tutorial-solvent-xtb/reference_data/mace01_md.xyz")).Take(20).ToList();
        var potential = MacePotential.LoadModelFile(model, new MaceOptions { Device = "cpu" });
        Assert.Equal(MaceConfig.PlainInteraction, potential.Config.InteractionClsFirst);
        double worstEnergy = 0, worstForce = 0;
        foreach (var frame in frames)
        {
            var result = potential.Compute(frame, NeighborListBuilder.Build(frame, potential.Cutoff, full: true), Quantities.EnergyAndForces);
            worstEnergy = Math.Max(worstEnergy, Math.Abs(result.Energy - frame.Energy!.Value));
            for (int a = 0; a < frame.Count; a++) worstForce = Math.Max(worstForce, (result.Forces![a] - frame.Forces![a]).Length);
        }
        output.WriteLine($"mace01_swa on {frames.Count} MD frames: max |ΔE| {worstEnergy:E2} eV, max |ΔF| {worstForce:E2} eV/Å");
        Assert.True(worstEnergy < 1e-4, $"max |ΔE| {worstEnergy:E2} eV");
        Assert.True(worstForce < 2e-5, $"max |ΔF| {worstForce:E2} eV/Å");
    }
}
