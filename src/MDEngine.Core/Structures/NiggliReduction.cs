using MDEngine.Geometry;

namespace MDEngine.Structures;

/// <summary>The Niggli-reduced cell of a lattice and how to get there.</summary>
/// <param name="Cell">The reduced cell in ASE's standard orientation (a along x, b in the xy plane), as
/// <c>ase.build.niggli_reduce_cell</c> returns it.</param>
/// <param name="CellSameOrientation">The reduced lattice vectors in the orientation of the input: rows of
/// Cᵀ·(input cell).</param>
/// <param name="Transformation">Integer matrix C (determinant +1) whose columns give the reduced vectors in terms
/// of the input ones: new vector j = Σᵢ C[i, j]·old vector i; fractional coordinates transform as f_new = C⁻¹·f_old.</param>
public sealed record NiggliResult(Cell Cell, Cell CellSameOrientation, int[,] Transformation);

/// <summary>
/// Niggli reduction by the algorithm of Křivý and Gruber (Acta Cryst. A32, 297 (1976)) with the tolerant
/// comparisons of Grosse-Kunstleve, Sauter and Adams (Acta Cryst. A60, 1 (2004)): x &lt; y means x &lt; y − ε with
/// ε = <c>epsFactor</c>·V^(1/3), the default 1e-5 and the order of the steps being those of ASE's
/// <c>niggli_reduce_cell</c>, so that the reduced cell and the transformation agree with ASE.
/// The cell is described by its metric (A, B, C, ξ, η, ζ) = (a·a, b·b, c·c, 2b·c, 2a·c, 2a·b), recomputed from the
/// accumulated integer transformation after each step so that rounding errors do not build up.
/// </summary>
public static class NiggliReduction
{
    public const int MaxSteps = 10000;

    public static NiggliResult Reduce(Cell cell, double epsFactor = 1e-5)
    {
        if (!cell.IsFullRank) throw new ArgumentException("Niggli reduction needs three independent lattice vectors.");
        double eps = epsFactor * Math.Cbrt(Math.Abs(cell.Matrix.Determinant));
        var m = cell.Matrix;
        // Gram matrix of the input vectors.
        var gram = new double[3, 3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) gram[i, j] = m.Row(i).Dot(m.Row(j));

        var t = new int[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        bool Lt(double x, double y, double e) => x < y - e;
        bool Gt(double x, double y, double e) => Lt(y, x, e);
        bool Eq(double x, double y, double e) => !(Lt(x, y, e) || Gt(x, y, e));

        for (int step = 0; ; step++)
        {
            if (step == MaxSteps) throw new InvalidOperationException($"Niggli reduction did not finish in {MaxSteps} steps.");
            var g = Metric(gram, t);
            double A = g[0], B = g[1], C = g[2], xi = g[3], eta = g[4], zeta = g[5];

            // N1: A ≤ B, and |ξ| ≤ |η| when A = B. Swapping two vectors and negating all keeps the handedness.
            if (Gt(A, B, eps) || (Eq(A, B, eps) && Gt(Math.Abs(xi), Math.Abs(eta), eps)))
            {
                t = Multiply(t, new[,] { { 0, -1, 0 }, { -1, 0, 0 }, { 0, 0, -1 } });
                continue;
            }
            // N2: B ≤ C, and |η| ≤ |ζ| when B = C; then back to N1.
            if (Gt(B, C, eps) || (Eq(B, C, eps) && Gt(Math.Abs(eta), Math.Abs(zeta), eps)))
            {
                t = Multiply(t, new[,] { { -1, 0, 0 }, { 0, 0, -1 }, { 0, -1, 0 } });
                continue;
            }

            // N3/N4: make ξ, η, ζ all positive (type I) or all non-positive (type II) by flipping vectors.
            var signs = new int[3];
            for (int k = 0; k < 3; k++) signs[k] = Gt(g[3 + k], 0, eps / 2) ? 1 : Lt(g[3 + k], 0, eps / 2) ? -1 : 0;
            var flip = new[] { 1, 1, 1 };
            if (signs[0] * signs[1] * signs[2] == 1) flip = signs;
            else if (signs.Any(s => s != -1))
            {
                int zeroAt = -1;
                for (int k = 0; k < 3; k++)
                {
                    if (signs[k] == 1) flip[k] = -1;
                    else if (signs[k] == 0) zeroAt = k;
                }
                if (flip[0] * flip[1] * flip[2] == -1) flip[zeroAt] = -1;
            }
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) t[i, j] *= flip[j];
            g = Metric(gram, t);
            A = g[0]; B = g[1]; C = g[2]; xi = g[3]; eta = g[4]; zeta = g[5];

            // N5: |ξ| ≤ B (c ← c − sign(ξ)·b).
            if (Gt(Math.Abs(xi), B, eps) || (Eq(xi, B, eps) && Lt(2 * eta, zeta, eps)) || (Eq(xi, -B, eps) && Lt(zeta, 0, eps)))
            {
                int s = Math.Sign(xi);
                t = Multiply(t, new[,] { { 1, 0, 0 }, { 0, 1, -s }, { 0, 0, 1 } });
            }
            // N6: |η| ≤ A (c ← c − sign(η)·a).
            else if (Gt(Math.Abs(eta), A, eps) || (Eq(eta, A, eps) && Lt(2 * xi, zeta, eps)) || (Eq(eta, -A, eps) && Lt(zeta, 0, eps)))
            {
                int s = Math.Sign(eta);
                t = Multiply(t, new[,] { { 1, 0, -s }, { 0, 1, 0 }, { 0, 0, 1 } });
            }
            // N7: |ζ| ≤ A (b ← b − sign(ζ)·a).
            else if (Gt(Math.Abs(zeta), A, eps) || (Eq(zeta, A, eps) && Lt(2 * xi, eta, eps)) || (Eq(zeta, -A, eps) && Lt(eta, 0, eps)))
            {
                int s = Math.Sign(zeta);
                t = Multiply(t, new[,] { { 1, -s, 0 }, { 0, 1, 0 }, { 0, 0, 1 } });
            }
            // N8: ξ + η + ζ + A + B ≥ 0 (c ← c + a + b).
            else if (Lt(xi + eta + zeta + A + B, 0, eps) || (Eq(xi + eta + zeta + A + B, 0, eps) && Gt(2 * (A + eta) + zeta, 0, eps)))
            {
                t = Multiply(t, new[,] { { 1, 0, 1 }, { 0, 1, 1 }, { 0, 0, 1 } });
            }
            else break;
        }

        var final = Metric(gram, t);
        double a = Math.Sqrt(final[0]), b = Math.Sqrt(final[1]), c = Math.Sqrt(final[2]);
        double Degrees(double twiceDot, double u, double v) => Math.Acos(twiceDot / (2 * u * v)) * 180 / Math.PI;
        var standard = Cell.FromParameters(a, b, c, Degrees(final[3], b, c), Degrees(final[4], a, c), Degrees(final[5], a, b));
        var rows = new Vec3[3];
        for (int j = 0; j < 3; j++) rows[j] = t[0, j] * m.Row(0) + t[1, j] * m.Row(1) + t[2, j] * m.Row(2);
        return new NiggliResult(standard, new Cell(Mat3.FromRows(rows[0], rows[1], rows[2])), t);
    }

    /// <summary>A copy of the structure in its Niggli-reduced cell, atoms wrapped into it (as ASE's
    /// <c>niggli_reduce</c>). With <paramref name="keepOrientation"/> the Cartesian positions are unchanged;
    /// otherwise the cell is in ASE's standard orientation and the atoms are rotated with it, as ASE does
    /// (velocities, forces and stress are rotated too; other per-atom arrays are kept as they are).</summary>
    public static Structure Apply(Structure structure, bool keepOrientation = false, double epsFactor = 1e-5)
    {
        if (!structure.Pbc.AllPeriodic) throw new ArgumentException("Niggli reduction needs a structure periodic along all three axes.");
        var result = Reduce(structure.Cell, epsFactor);
        var copy = structure.Clone();
        var inverse = ToMat3(result.Transformation).Inverse();
        var fractional = structure.FractionalPositions();
        for (int i = 0; i < fractional.Length; i++)
        {
            var f = inverse * fractional[i];
            for (int k = 0; k < 3; k++) { double x = f[k] - Math.Floor(f[k]); f[k] = x >= 1.0 ? 0.0 : x; }
            fractional[i] = f;
        }
        copy.Cell = keepOrientation ? result.CellSameOrientation : result.Cell;
        copy.SetFractionalPositions(fractional);
        if (!keepOrientation)
        {
            // The standard cell is the same lattice rotated: rows(standard) = rows(Cᵀ·old)·R with R orthogonal.
            // Cartesian vectors turn with it (row vectors times R); the stress tensor becomes Rᵀ·σ·R.
            var rotation = result.CellSameOrientation.Matrix.Inverse() * result.Cell.Matrix;
            if (copy.Velocities is { } v) copy.Velocities = v.Select(x => x * rotation).ToArray();
            if (copy.Forces is { } f) copy.Forces = f.Select(x => x * rotation).ToArray();
            if (copy.Stress is { } sigma) copy.Stress = rotation.Transpose() * sigma * rotation;
        }
        return copy;
    }

    private static Mat3 ToMat3(int[,] t) => new(t[0, 0], t[0, 1], t[0, 2], t[1, 0], t[1, 1], t[1, 2], t[2, 0], t[2, 1], t[2, 2]);

    // (A, B, C, ξ, η, ζ) of the vectors v_j = Σ_i t[i, j]·old_i: G' = tᵀ G t.
    private static double[] Metric(double[,] gram, int[,] t)
    {
        var g = new double[3, 3];
        for (int p = 0; p < 3; p++)
            for (int q = 0; q < 3; q++)
            {
                double sum = 0;
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) sum += t[i, p] * gram[i, j] * t[j, q];
                g[p, q] = sum;
            }
        return [g[0, 0], g[1, 1], g[2, 2], 2 * g[1, 2], 2 * g[0, 2], 2 * g[0, 1]];
    }

    private static int[,] Multiply(int[,] x, int[,] y)
    {
        var r = new int[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[i, j] = x[i, 0] * y[0, j] + x[i, 1] * y[1, j] + x[i, 2] * y[2, j];
        return r;
    }
}
