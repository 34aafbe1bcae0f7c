namespace MDEngine.ML.Training;

/// <summary>
/// What mace-torch computes from the training set before it builds a model: the isolated-atom energies E0 by least
/// squares ("average": E_config ≈ Σ_elements n_element·E0_element), the mean number of neighbours within r_max (the
/// messages' normalisation) and the RMS of the force components (ScaleShiftMACE's scale, "rms_forces_scaling").
/// </summary>
public static class DatasetStatistics
{
    /// <summary>E0 per element of <paramref name="atomicNumbers"/> (eV): the least-squares solution of the normal
    /// equations over the configurations with an energy.</summary>
    public static double[] AverageE0s(IReadOnlyList<TrainingConfiguration> configs, IReadOnlyList<int> atomicNumbers)
    {
        int k = atomicNumbers.Count;
        var index = atomicNumbers.Select((z, i) => (z, i)).ToDictionary(t => t.z, t => t.i);
        var ata = new double[k, k]; var atb = new double[k];
        foreach (var c in configs.Where(c => c.Energy is not null))
        {
            var counts = new double[k];
            foreach (int z in c.Structure.Numbers) counts[index[z]]++;
            for (int a = 0; a < k; a++)
            {
                atb[a] += counts[a] * c.Energy!.Value;
                for (int b = 0; b < k; b++) ata[a, b] += counts[a] * counts[b];
            }
        }
        return Solve(ata, atb) ?? throw new TrainingException("E0s 'average': the element counts of the training set do not determine one E0 per element (give E0s explicitly)");
    }

    /// <summary>Mean in-degree of the atoms at cutoff r_max over the configurations (edges of the model's graph per atom).</summary>
    public static double AverageNeighbors(IReadOnlyList<TrainingConfiguration> configs, NeighborCache neighbors, IReadOnlyDictionary<int, int> speciesIndex)
    {
        long edges = 0, atoms = 0;
        foreach (var c in configs)
        {
            edges += Graphs.AtomGraph.Build([c.Structure], [neighbors.Get(c)], neighbors.Cutoff, speciesIndex).EdgeCount;
            atoms += c.AtomCount;
        }
        return atoms == 0 || edges == 0 ? 1.0 : (double)edges / atoms;
    }

    /// <summary>√mean(F²) over every force component of the configurations with forces.</summary>
    public static double RmsForces(IReadOnlyList<TrainingConfiguration> configs)
    {
        double sum = 0; long n = 0;
        foreach (var c in configs)
            if (c.Forces is { } f)
                foreach (var v in f) { sum += v.X * v.X + v.Y * v.Y + v.Z * v.Z; n += 3; }
        return n == 0 || sum == 0 ? 1.0 : Math.Sqrt(sum / n);
    }

    /// <summary>Gaussian elimination with partial pivoting; null for a singular system.</summary>
    private static double[]? Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone(); var x = (double[])b.Clone();
        double scale = 0; foreach (double v in m) scale = Math.Max(scale, Math.Abs(v));
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            if (Math.Abs(m[pivot, col]) <= 1e-12 * scale) return null;
            if (pivot != col)
            {
                for (int c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = m[r, col] / m[col, col];
                for (int c = col; c < n; c++) m[r, c] -= f * m[col, c];
                x[r] -= f * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = x[r];
            for (int c = r + 1; c < n; c++) s -= m[r, c] * x[c];
            x[r] = s / m[r, r];
        }
        return x;
    }
}
