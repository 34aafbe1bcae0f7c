using System.Text.Json;
using static MDEngine.Tests.ReferenceData;
using MDEngine.Dynamics;
using MDEngine.Geometry;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Dynamics;

/// <summary>Velocity Verlet against LAMMPS's fix nve on the same initial state (tools/reference/lammps_nve.py).</summary>
public class LammpsNveTests
{
    private static JsonElement Reference(string name) => Load("dynamics", name).RootElement;

    private static Potential PotentialOf(JsonElement r) => r.GetProperty("potential").GetString() switch
    {
        "lj" => new LennardJones(r.GetProperty("epsilon").GetDouble(), r.GetProperty("sigma").GetDouble(), r.GetProperty("cutoff").GetDouble()),
        "eam" => PotentialSpec.Parse(PathOf(r.GetProperty("file").GetString()!)),
        var other => throw new InvalidDataException(other),
    };


    [Theory]
    [InlineData("lammps_nve_lj.json")]
    [InlineData("lammps_nve_eam_cu.json")]
    public void HundredStepsMatchLammpsPositionsAndVelocities(string reference)
    {
        var r = Reference(reference);
        var positions = Vectors(r.GetProperty("positions"));
        var cell = new Cell(Matrix(r.GetProperty("cell")));
        var structure = new Structure(Enumerable.Repeat(r.GetProperty("z").GetInt32(), positions.Length).ToArray(), positions, cell, Pbc.All,
            Enumerable.Repeat(r.GetProperty("mass").GetDouble(), positions.Length).ToArray())
        { Velocities = Vectors(r.GetProperty("velocities")) };
        var state = new MdState(structure);
        var potential = PotentialOf(r);
        var md = new MolecularDynamics(state, new VelocityVerlet(r.GetProperty("timestep_fs").GetDouble()), new ForceEvaluator(potential));

        var thermo = r.GetProperty("thermo").EnumerateArray().ToArray();
        md.Run(0);
        // Energies at step 0: the potential directly, the kinetic energy through the unit conversion (LAMMPS's metal
        // mvv2e = 1.0364269e-4 differs from CODATA 2018 in the 8th digit).
        Assert.Equal(thermo[0].GetProperty("pe").GetDouble(), state.PotentialEnergy, 1e-8);
        Assert.Equal(1.0, state.KineticEnergy() / thermo[0].GetProperty("ke").GetDouble(), 1e-7);

        md.Run(r.GetProperty("steps").GetInt32());
        var expected = Vectors(r.GetProperty("final_positions"));
        var expectedVelocities = Vectors(r.GetProperty("final_velocities"));
        double worst = 0, worstVelocity = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, (state.Structure.Positions[i] - expected[i]).Length);
            worstVelocity = Math.Max(worstVelocity, (state.Velocities[i] - expectedVelocities[i]).Length);
        }
        Assert.True(worst < 1e-6, $"largest position difference {worst:E2} Å");
        Assert.True(worstVelocity < 1e-8, $"largest velocity difference {worstVelocity:E2} Å/fs");
        Assert.Equal(thermo[1].GetProperty("pe").GetDouble(), state.PotentialEnergy, 1e-6);
        // Displacements over 100 fs are large compared with the tolerance, so the comparison is not trivial.
        Assert.True(Enumerable.Range(0, expected.Length).Max(i => (expected[i] - Vectors(r.GetProperty("positions"))[i]).Length) > 0.05);
    }
}
