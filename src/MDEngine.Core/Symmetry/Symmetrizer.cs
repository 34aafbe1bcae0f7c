using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Symmetry;

/// <summary>Projection of per-atom vectors, tensors and positions onto the symmetric subspace of a space group:
/// the group average (1/|G|) Σ_g g·X (Reynolds operator). Operations are in the cell's fractional coordinates
/// (x' = W x + w); their Cartesian rotations are R = Lᵀ W L⁻ᵀ with L the cell (rows = lattice vectors).</summary>
public static class Symmetrizer
{
    /// <summary>Cartesian rotation of each operation.</summary>
    public static Mat3[] CartesianRotations(Cell cell, SymmetryOperations ops)
    {
        var l = cell.Matrix;
        var lt = l.Transpose();
        var ltInv = lt.Inverse();
        return ops.Operations.Select(o => lt * o.Rotation.ToMat3() * ltInv).ToArray();
    }

    /// <summary>Symmetrized forces: F'_{g(i)} = (1/|G|) Σ_g R_g F_i, which removes the components that break the symmetry
    /// (for a symmetric structure the exact forces already satisfy F_{g(i)} = R_g F_i).</summary>
    public static Vec3[] SymmetrizeForces(Vec3[] forces, Cell cell, SymmetryOperations ops)
    {
        if (ops.Factorization is { } f && f.AtomClass.Length == forces.Length) return SymmetrizeForcesByCosets(forces, cell, f);
        var rotations = CartesianRotations(cell, ops);
        var result = new Vec3[forces.Length];
        for (int k = 0; k < ops.Count; k++)
        {
            var perm = ops.Permutations[k];
            var r = rotations[k];
            for (int i = 0; i < forces.Length; i++)
            {
                int j = perm[i];
                if (j < 0) throw new InvalidOperationException("The operations do not map every atom onto an atom.");
                result[j] += r * forces[i];
            }
        }
        double inv = 1.0 / ops.Count;
        for (int i = 0; i < result.Length; i++) result[i] *= inv;
        return result;
    }

    /// <summary>The same average for operations t ∘ r: summing over the pure translations t first gives the total
    /// force S_p of each translation class p, so F'_j = (1/|R||T|) Σ_r R_r S_{r⁻¹(class of j)}.</summary>
    private static Vec3[] SymmetrizeForcesByCosets(Vec3[] forces, Cell cell, CosetFactorization f)
    {
        var classSum = new Vec3[f.ClassCount];
        for (int i = 0; i < forces.Length; i++) classSum[f.AtomClass[i]] += forces[i];
        var lt = cell.Matrix.Transpose();
        var ltInv = lt.Inverse();
        var accumulated = new Vec3[f.ClassCount];
        for (int r = 0; r < f.Rotations.Length; r++)
        {
            var rotation = lt * f.Rotations[r].ToMat3() * ltInv;
            var perm = f.ClassPermutations[r];
            for (int p = 0; p < f.ClassCount; p++) accumulated[perm[p]] += rotation * classSum[p];
        }
        double inv = 1.0 / (f.Rotations.Length * f.TranslationCount);
        var result = new Vec3[forces.Length];
        for (int i = 0; i < forces.Length; i++) result[i] = accumulated[f.AtomClass[i]] * inv;
        return result;
    }

    /// <summary>Symmetrized stress (or any rank-2 Cartesian tensor): σ' = (1/|G|) Σ_g R_g σ R_gᵀ.</summary>
    public static Mat3 SymmetrizeStress(Mat3 stress, Cell cell, SymmetryOperations ops)
    {
        // Every rotation occurs equally often (once per coset of the pure translations): average over the distinct ones.
        var distinct = ops.Operations.Select(o => o.Rotation).Distinct().ToArray();
        var lt = cell.Matrix.Transpose();
        var ltInv = lt.Inverse();
        var sum = Mat3.Zero;
        foreach (var w in distinct)
        {
            var r = lt * w.ToMat3() * ltInv;
            sum = sum + r * stress * r.Transpose();
        }
        return (1.0 / distinct.Length) * sum;
    }

    /// <summary>Symmetrized Cartesian positions: each atom moved to the average of the images that the operations
    /// bring onto it, x'_{g(i)} = (1/|G|) Σ_g (W x_i + w + n) with n the lattice vector that keeps each image next to
    /// x_{g(i)}. Atoms stay in their periodic images.</summary>
    public static Vec3[] SymmetrizePositions(Vec3[] positions, Cell cell, SymmetryOperations ops)
    {
        var fractional = cell.ToFractional(positions);
        var sum = new Vec3[positions.Length];
        for (int k = 0; k < ops.Count; k++)
        {
            var op = ops.Operations[k];
            var perm = ops.Permutations[k];
            for (int i = 0; i < positions.Length; i++)
            {
                int j = perm[i];
                if (j < 0) throw new InvalidOperationException("The operations do not map every atom onto an atom.");
                var image = op.Apply(fractional[i]);
                sum[j] += fractional[j] + Fractional.Wrap(image - fractional[j]);
            }
        }
        double inv = 1.0 / ops.Count;
        for (int i = 0; i < sum.Length; i++) sum[i] *= inv;
        return cell.ToCartesian(sum);
    }

    /// <summary>The operations of <paramref name="structure"/> within <paramref name="symprec"/> with their atom
    /// mapping, ready for the Symmetrize* methods (the relaxation's keep-symmetry mode).</summary>
    public static SymmetryOperations FindOperations(Structure structure, double symprec = 1e-3, double angleTolerance = -1) =>
        SymmetryAnalyzer.Analyze(structure, symprec, angleTolerance).Operations;
}
