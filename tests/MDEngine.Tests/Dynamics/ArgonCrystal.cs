using MDEngine.Dynamics;
using MDEngine.Geometry;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Dynamics;

/// <summary>Small fcc argon crystals with a Lennard-Jones potential: cheap, anharmonic enough to mix, and
/// harmonic enough at low temperature that long statistical runs stay fast.</summary>
internal static class ArgonCrystal
{
    public const double Epsilon = 0.0104, Sigma = 3.40, LatticeConstant = 5.26;

    public static LennardJones Potential(double cutoff = 5.0) => new(Epsilon, Sigma, cutoff, shift: true);

    public static Structure Build(int repeat, double latticeConstant = LatticeConstant)
    {
        Vec3[] basis = [new(0, 0, 0), new(0.5, 0.5, 0), new(0.5, 0, 0.5), new(0, 0.5, 0.5)];
        var positions = new List<Vec3>();
        for (int i = 0; i < repeat; i++)
            for (int j = 0; j < repeat; j++)
                for (int k = 0; k < repeat; k++)
                    foreach (var b in basis) positions.Add(latticeConstant * (b + new Vec3(i, j, k)));
        var cell = Cell.Cubic(repeat * latticeConstant);
        return new Structure(Enumerable.Repeat(18, positions.Count).ToArray(), positions, cell, Pbc.All);
    }

    public static MdState State(int repeat, double temperature, ulong seed, bool momentumConserved = true, double latticeConstant = LatticeConstant)
    {
        var state = new MdState(Build(repeat, latticeConstant));
        MaxwellBoltzmann.Assign(state, temperature, seed, exactTemperature: true, momentumConserved: momentumConserved);
        return state;
    }

    /// <summary>Runs <paramref name="steps"/> steps and returns the thermodynamic sample after each.</summary>
    public static List<ThermoSample> Sample(MolecularDynamics md, long steps, int every = 1)
    {
        var samples = new List<ThermoSample>();
        var recorder = new Recorder(every, samples);
        md.Observers.Add(recorder);
        md.Run(steps);
        md.Observers.Remove(recorder);
        return samples;
    }

    private sealed class Recorder(int interval, List<ThermoSample> samples) : MdObserver(interval)
    {
        public override void Observe(MolecularDynamics md) => samples.Add(md.Sample());
    }
}
