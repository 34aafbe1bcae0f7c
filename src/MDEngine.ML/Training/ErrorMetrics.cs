namespace MDEngine.ML.Training;

/// <summary>
/// Errors of a model on a set of configurations, accumulated batch by batch, in eV and Å (mace-torch's
/// rmse_e_per_atom, rmse_f, rmse_stress and the MAEs): the energy error per atom over configurations with an energy,
/// the force error over all Cartesian components, the stress error over all nine components of periodic
/// configurations with a stress. A metric without data is NaN (<see cref="Has"/>).
/// </summary>
public sealed class ErrorMetrics
{
    private double _lossSum; private int _configurations;
    private double _e2, _e1, _f2, _f1, _s2, _s1;
    private long _ne, _nf, _ns;
    /// <summary>Per configuration: (reference, predicted) energy per atom; per force component: (reference, predicted).</summary>
    public List<(double Reference, double Predicted)> EnergyPairs { get; } = [];
    public List<(double Reference, double Predicted)> ForcePairs { get; } = [];
    public bool KeepPairs { get; init; }

    /// <summary>A batch's loss: the reported loss is Σ batch losses / number of configurations, as mace-torch's
    /// evaluation (MACELoss) reports it.</summary>
    public void AddLoss(double batchLoss, int configurations) { _lossSum += batchLoss; _configurations += configurations; }

    public void AddEnergy(double reference, double predicted, int atoms)
    {
        double d = (predicted - reference) / atoms;
        _e2 += d * d; _e1 += Math.Abs(d); _ne++;
        if (KeepPairs) EnergyPairs.Add((reference / atoms, predicted / atoms));
    }

    public void AddForce(double reference, double predicted)
    {
        double d = predicted - reference;
        _f2 += d * d; _f1 += Math.Abs(d); _nf++;
        if (KeepPairs) ForcePairs.Add((reference, predicted));
    }

    public void AddStress(double reference, double predicted)
    {
        double d = predicted - reference;
        _s2 += d * d; _s1 += Math.Abs(d); _ns++;
    }

    public double Loss => _configurations == 0 ? double.NaN : _lossSum / _configurations;
    public double RmseEnergyPerAtom => Rms(_e2, _ne);
    public double MaeEnergyPerAtom => Mean(_e1, _ne);
    public double RmseForces => Rms(_f2, _nf);
    public double MaeForces => Mean(_f1, _nf);
    public double RmseStress => Rms(_s2, _ns);
    public double MaeStress => Mean(_s1, _ns);
    public bool HasStress => _ns > 0;

    private static double Rms(double sum, long n) => n == 0 ? double.NaN : Math.Sqrt(sum / n);
    private static double Mean(double sum, long n) => n == 0 ? double.NaN : sum / n;
}
