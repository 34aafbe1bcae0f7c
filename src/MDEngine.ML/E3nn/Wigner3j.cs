namespace MDEngine.ML.E3nn;

/// <summary>
/// Source of the real Wigner 3j (Clebsch–Gordan) blocks C[l1, l2, l3] of shape (2l1+1, 2l2+1, 2l3+1) that e3nn uses.
/// Blocks with a zero degree are fixed by normalisation alone (C = δ/√(2l+1), as e3nn hard-codes them); the others
/// come from the model file, because e3nn changed its phase convention between versions and a model is only
/// consistent with the blocks it was trained with.
/// </summary>
public sealed class Wigner3j
{
    private readonly Func<int, int, int, double[]?> _stored;

    public Wigner3j(Func<int, int, int, double[]?> stored) => _stored = stored;

    public double[] Get(int l1, int l2, int l3)
    {
        int d1 = 2 * l1 + 1, d2 = 2 * l2 + 1, d3 = 2 * l3 + 1;
        if (l1 == 0 || l2 == 0 || l3 == 0)
        {
            var c = new double[d1 * d2 * d3];
            double v = 1.0 / Math.Sqrt(Math.Max(d1, Math.Max(d2, d3)));
            int d = Math.Max(d1, Math.Max(d2, d3));
            for (int m = 0; m < d; m++)
            {
                int i = l1 == 0 ? 0 : m, j = l2 == 0 ? 0 : m, k = l3 == 0 ? 0 : m;
                if (l1 == 0 && l2 == 0) j = 0;
                c[(i * d2 + j) * d3 + k] = v;
            }
            return c;
        }
        return _stored(l1, l2, l3) ?? throw new NotSupportedException($"the model file lacks the Wigner 3j block ({l1}, {l2}, {l3}) its tensor product needs");
    }
}
