using System.Runtime.CompilerServices;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>
/// A neighbor list with a Verlet buffer: built with radius R = cutoff + skin and reused while it provably still
/// holds every pair closer than the cutoff; rebuilt automatically otherwise. Between rebuilds only the pair vectors
/// are refreshed (lazily: on first read of Vectors or Distances), so consumers see current geometry and skip pairs
/// beyond their cutoff.
/// <para>The reuse criterion. Let h₀ be the (completed) cell at the build and h the current one, F = h₀⁻¹h the
/// homogeneous deformation between them (row vectors: r ↦ rF), and u_i = r_i − r⁰_i F each atom's displacement
/// beyond the affine one. A pair missing from the list had |d⁰| ≥ R with d⁰ = r⁰_j + S·h₀ − r⁰_i; now
/// d = d⁰F + u_j − u_i, so |d| ≥ σ_min(F)·R − 2 max|u|, and σ_min(F) ≥ 1 − ‖F − I‖ (Frobenius norm, an upper
/// bound of the spectral norm). The list is kept while (1 − ‖F − I‖)·R − 2 max|u| ≥ cutoff. With an unchanged cell
/// this is the classic criterion max|u| ≤ skin/2.</para>
/// <para>When the criterion is consulted follows <see cref="Policy"/> (LAMMPS's <c>neigh_modify</c>); the default
/// consults it at every update.</para>
/// <para>A rebuild reuses the previous list object and its arrays: a list returned by <see cref="Update"/> is valid
/// until the next call.</para>
/// </summary>
public sealed class VerletNeighborList
{
    private NeighborList? _list;
    private Vec3[] _positionsAtBuild = [];
    private Mat3 _cellAtBuild;
    private Mat3 _inverseCompletedCellAtBuild;
    private Pbc _pbcAtBuild;
    private int[] _numbersAtBuild = [];
    private int _updatesSinceBuild;

    public double Cutoff { get; }
    public double Skin { get; }
    public bool Full { get; }
    public NeighborUpdatePolicy Policy { get; }
    /// <summary>How many times the list was built.</summary>
    public int Builds { get; private set; }
    /// <summary>The radius the list is built with: cutoff + skin.</summary>
    public double Radius => Cutoff + Skin;

    public VerletNeighborList(double cutoff, double skin, bool full, NeighborUpdatePolicy? policy = null)
    {
        Policy = policy ?? NeighborUpdatePolicy.Safe;
        if (!(cutoff > 0) || !double.IsFinite(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), "The cutoff must be positive.");
        if (!(skin >= 0) || !double.IsFinite(skin)) throw new ArgumentOutOfRangeException(nameof(skin), "The skin must not be negative.");
        Cutoff = cutoff; Skin = skin; Full = full;
    }

    public NeighborList Update(Structure s)
    {
        _updatesSinceBuild++;
        if (_list is null || SystemChanged(s) || Policy.Considers(_updatesSinceBuild) && (!Policy.Check || NeedsRebuild(s)))
        {
            // The previous list is rebuilt in place (its arrays reused); it is forgotten first so that a build that
            // throws (a non-finite position) leaves no half-written list behind.
            var previous = _list;
            _list = null;
            _list = NeighborListBuilder.BuildDeferred(s, Radius, Full, previous);
            if (_positionsAtBuild.Length != s.Count) _positionsAtBuild = new Vec3[s.Count];
            s.Positions.AsSpan().CopyTo(_positionsAtBuild);
            _cellAtBuild = s.Cell.Matrix;
            _inverseCompletedCellAtBuild = CellCompletion.Complete(s.Cell.Matrix, s.Pbc).Inverse();
            _pbcAtBuild = s.Pbc;
            if (_numbersAtBuild.Length != s.Count) _numbersAtBuild = new int[s.Count];
            s.Numbers.AsSpan().CopyTo(_numbersAtBuild);
            Builds++;
            _updatesSinceBuild = 0;
        }
        else _list.DeferGeometryUpdate(s.Positions, s.Cell.Matrix);
        return _list;
    }

    /// <summary>Forgets the list: the next <see cref="Update"/> builds.</summary>
    public void Invalidate() => _list = null;

    /// <summary>Another atom count, species or periodicity: the list cannot be reused under any policy.</summary>
    private bool SystemChanged(Structure s) =>
        s.Count != _positionsAtBuild.Length || s.Pbc != _pbcAtBuild || !s.Numbers.AsSpan().SequenceEqual(_numbersAtBuild);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool NeedsRebuild(Structure s)
    {
        var positions = s.Positions;
        double maxSquared = 0;
        if (s.Cell.Matrix.Equals(_cellAtBuild))
        {
            for (int i = 0; i < positions.Length; i++)
                maxSquared = Math.Max(maxSquared, (positions[i] - _positionsAtBuild[i]).LengthSquared);
            return 2 * Math.Sqrt(maxSquared) > Skin;
        }

        Mat3 completed;
        try { completed = CellCompletion.Complete(s.Cell.Matrix, s.Pbc); }
        catch (ArgumentException) { return true; }
        var deformation = _inverseCompletedCellAtBuild * completed;
        var strain = deformation - Mat3.Identity;
        double norm = Math.Sqrt(strain.ToArray().Sum(x => x * x));
        double budget = (1 - norm) * Radius - Cutoff;
        if (!(budget >= 0)) return true;
        for (int i = 0; i < positions.Length; i++)
            maxSquared = Math.Max(maxSquared, (positions[i] - _positionsAtBuild[i] * deformation).LengthSquared);
        return 2 * Math.Sqrt(maxSquared) > budget;
    }
}
