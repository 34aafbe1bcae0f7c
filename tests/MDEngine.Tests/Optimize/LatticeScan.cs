namespace MDEngine.Tests.Optimize;

/// <summary>An independent minimum of E(a): a coarse scan, then golden-section search to round-off.</summary>
internal static class LatticeScan
{
    public static double Minimum(Func<double, double> energy, double lo, double hi, int scan = 41)
    {
        double best = lo, bestE = double.PositiveInfinity, h = (hi - lo) / (scan - 1);
        for (int k = 0; k < scan; k++)
        {
            double a = lo + k * h, e = energy(a);
            if (e < bestE) { bestE = e; best = a; }
        }
        double left = best - h, right = best + h;
        double g = (Math.Sqrt(5) - 1) / 2;
        double x1 = right - g * (right - left), x2 = left + g * (right - left);
        double f1 = energy(x1), f2 = energy(x2);
        while (right - left > 1e-9)
        {
            if (f1 < f2) { right = x2; x2 = x1; f2 = f1; x1 = right - g * (right - left); f1 = energy(x1); }
            else { left = x1; x1 = x2; f1 = f2; x2 = left + g * (right - left); f2 = energy(x2); }
        }
        return 0.5 * (left + right);
    }
}
