using MDEngine.Geometry;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Optimize.Constraints;

/// <summary>
/// Keeps a relaxation in a space group, as ASE's FixSymmetry (ase/spacegroup/symmetrize.py): forces and proposed
/// atom steps are averaged over the group as vectors, the stress and the proposed cell deformation as rank-2
/// tensors. The operations are given (e.g. from a space-group search) in fractional coordinates of the structure's
/// cell at construction; the constraint works out itself which atom each operation sends each atom to.
///
/// Vectors (forces, displacements) are taken in the lattice basis, v = Σ_k s_k a_k (s = L⁻ᵀ v with L the cell,
/// rows a_k), where an operation acts as s → R s; the average over the group sends atom i's rotated vector to the
/// atom the operation maps i onto. A rank-2 tensor σ is taken as S = L σ Lᵀ and averaged as (1/|G|) Σ Rᵀ S R.
/// </summary>
public sealed class FixSymmetry : IConstraint
{
    private readonly SymmetryOperation[] _operations;
    private readonly int[][] _map; // _map[op][i] = the atom op sends atom i to

    public IReadOnlyList<SymmetryOperation> Operations => _operations;

    /// <param name="tolerance">Cartesian distance (Å) within which an image must land on an atom of the same element.</param>
    public FixSymmetry(Structure structure, IEnumerable<SymmetryOperation> operations, double tolerance = 1e-3)
    {
        _operations = operations.ToArray();
        if (_operations.Length == 0) throw new ArgumentException("FixSymmetry needs at least the identity operation.");
        if (!structure.Pbc.AllPeriodic) throw new ArgumentException("FixSymmetry needs a periodic structure.");
        _map = _operations.Select(op => MapAtoms(structure, op, tolerance)).ToArray();
    }

    private static int[] MapAtoms(Structure s, SymmetryOperation op, double tolerance)
    {
        var fractional = s.FractionalPositions();
        var cell = s.Cell.Matrix;
        var map = new int[s.Count];
        for (int i = 0; i < s.Count; i++)
        {
            var image = op.Apply(fractional[i]);
            int found = -1;
            double best = double.MaxValue;
            for (int j = 0; j < s.Count; j++)
            {
                if (s.Numbers[j] != s.Numbers[i]) continue;
                var d = image - fractional[j];
                d = new Vec3(d.X - Math.Round(d.X), d.Y - Math.Round(d.Y), d.Z - Math.Round(d.Z));
                double dist = (d * cell).Length;
                if (dist < best) { best = dist; found = j; }
            }
            if (found < 0 || best > tolerance)
                throw new ArgumentException(FormattableString.Invariant(
                    $"A symmetry operation sends atom {i} to no atom of the same element (nearest {best:G3} Å away): the operations do not belong to this structure."));
            map[i] = found;
        }
        if (map.Distinct().Count() != map.Length) throw new ArgumentException("A symmetry operation maps two atoms onto one.");
        return map;
    }

    /// <summary>
    /// Makes the structure exactly symmetric (as ASE's refine_symmetry before FixSymmetry): each atom becomes the
    /// average of the images R f_i + t that the operations send onto it, and the cell's metric G = L Lᵀ becomes its
    /// group average Ḡ = (1/|G|) Σ Rᵀ G R, reached by the symmetric deformation L' = Ḡ^½ G^-½ L (fractional
    /// coordinates kept). Small noise in an input file thus does not survive a symmetry-preserving relaxation.
    /// </summary>
    public void Refine(Structure structure)
    {
        var metric = structure.Cell.Matrix * structure.Cell.Matrix.Transpose();
        var averaged = Mat3.Zero;
        foreach (var op in _operations)
        {
            var r = op.RotationMatrix;
            averaged = averaged + r.Transpose() * metric * r;
        }
        averaged = (1.0 / _operations.Length) * averaged;
        var fractional = structure.FractionalPositions();
        var sum = new Vec3[fractional.Length];
        for (int o = 0; o < _operations.Length; o++)
            for (int i = 0; i < fractional.Length; i++)
            {
                int j = _map[o][i];
                var image = _operations[o].Apply(fractional[i]);
                var d = image - fractional[j];
                sum[j] += fractional[j] + new Vec3(d.X - Math.Round(d.X), d.Y - Math.Round(d.Y), d.Z - Math.Round(d.Z));
            }
        for (int j = 0; j < sum.Length; j++) fractional[j] = (1.0 / _operations.Length) * sum[j];
        var deformation = MatrixFunctions.Sqrt(averaged) * MatrixFunctions.Sqrt(metric).Inverse();
        structure.Cell = new Cell(deformation * structure.Cell.Matrix);
        structure.SetFractionalPositions(fractional);
    }

    /// <summary>Group average of per-atom vectors (forces or displacements) in the current cell.</summary>
    public Vec3[] SymmetrizeVectors(Mat3 cell, ReadOnlySpan<Vec3> vectors)
    {
        var toLattice = cell.Inverse(); // row vector v = s L  ⇒  s = v L⁻¹
        var sum = new Vec3[vectors.Length];
        for (int o = 0; o < _operations.Length; o++)
        {
            var op = _operations[o];
            var map = _map[o];
            for (int i = 0; i < vectors.Length; i++) sum[map[i]] += op.Rotate(vectors[i] * toLattice);
        }
        double inv = 1.0 / _operations.Length;
        var result = new Vec3[vectors.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (inv * sum[i]) * cell;
        return result;
    }

    /// <summary>Group average of a rank-2 Cartesian tensor in the current cell.</summary>
    public Mat3 SymmetrizeTensor(Mat3 cell, Mat3 tensor)
    {
        var scaled = cell * tensor * cell.Transpose();
        var sum = Mat3.Zero;
        foreach (var op in _operations)
        {
            var r = op.RotationMatrix;
            sum = sum + r.Transpose() * scaled * r;
        }
        var inverse = cell.Inverse();
        return inverse * ((1.0 / _operations.Length) * sum) * inverse.Transpose();
    }

    public void AdjustPositions(Structure structure, Vec3[] proposed)
    {
        var step = new Vec3[proposed.Length];
        for (int i = 0; i < step.Length; i++) step[i] = proposed[i] - structure.Positions[i];
        var symmetric = SymmetrizeVectors(structure.Cell.Matrix, step);
        for (int i = 0; i < step.Length; i++) proposed[i] = structure.Positions[i] + symmetric[i];
    }

    public void AdjustForces(Structure structure, Vec3[] forces)
    {
        var symmetric = SymmetrizeVectors(structure.Cell.Matrix, forces);
        symmetric.CopyTo(forces, 0);
    }

    public void AdjustStress(Structure structure, ref Mat3 stress) => stress = SymmetrizeTensor(structure.Cell.Matrix, stress);

    /// <summary>Symmetrizes the deformation that takes the current cell to the proposed one.</summary>
    public void AdjustCell(Structure structure, ref Mat3 proposedCell)
    {
        var current = structure.Cell.Matrix;
        // proposed = current · (I + D)ᵀ with D the deformation-gradient step; D is a rank-2 tensor.
        var delta = (current.Inverse() * proposedCell).Transpose() - Mat3.Identity;
        var symmetric = SymmetrizeTensor(current, delta);
        proposedCell = current * (symmetric + Mat3.Identity).Transpose();
    }
}
