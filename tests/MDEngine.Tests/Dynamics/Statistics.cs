namespace MDEngine.Tests.Dynamics;

/// <summary>Mean, variance and their standard errors from correlated time series by block averaging
/// (Flyvbjerg &amp; Petersen 1989): the series is cut into blocks longer than its correlation time and the spread of
/// block averages gives the error.</summary>
internal static class Statistics
{
    public static double Mean(IReadOnlyList<double> x) => x.Average();

    public static double Variance(IReadOnlyList<double> x)
    {
        double m = x.Average();
        return x.Sum(v => (v - m) * (v - m)) / (x.Count - 1);
    }

    /// <summary>Standard error of the mean from <paramref name="blocks"/> equal blocks.</summary>
    public static double MeanError(IReadOnlyList<double> x, int blocks = 20) => BlockError(x, blocks, Mean);

    /// <summary>Standard error of the variance from <paramref name="blocks"/> equal blocks.</summary>
    public static double VarianceError(IReadOnlyList<double> x, int blocks = 20) => BlockError(x, blocks, Variance);

    private static double BlockError(IReadOnlyList<double> x, int blocks, Func<IReadOnlyList<double>, double> estimator)
    {
        int size = x.Count / blocks;
        var values = Enumerable.Range(0, blocks).Select(b => estimator(x.Skip(b * size).Take(size).ToArray())).ToArray();
        return Math.Sqrt(Variance(values) / blocks);
    }
}
