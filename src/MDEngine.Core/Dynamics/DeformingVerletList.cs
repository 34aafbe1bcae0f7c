using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>
/// A Verlet neighbor list (cutoff + skin) that stays valid while the cell deforms, as under a barostat. With
/// F = h₀⁻¹h the deformation since the build and u_i the displacement of atom i beyond the affine one
/// (u_i = r_i − r_i⁰F), a pair now within the cutoff r_c was within (r_c + 2 max|u|)·‖F⁻¹‖ at the build; the list is
/// reused while that bound stays below r_c + skin (‖F⁻¹‖ ≤ 1 + ‖F⁻¹ − 1‖_F). Between rebuilds only the pair vectors
/// are refreshed with the current positions and cell. Without cell changes this is the usual skin/2 criterion.
/// </summary>
internal sealed class DeformingVerletList(double cutoff, double skin, bool full)
{
    private NeighborList? _list;
    private Vec3[] _positionsAtBuild = [];
    private Mat3 _inverseCellAtBuild;
    private Mat3 _cellAtBuild;
    private Pbc _pbcAtBuild;

    public int Builds { get; private set; }

    public NeighborList Update(Structure s)
    {
        if (_list is null || NeedsRebuild(s))
        {
            _list = NeighborListBuilder.Build(s, cutoff + skin, full);
            _positionsAtBuild = (Vec3[])s.Positions.Clone();
            _cellAtBuild = s.Cell.Matrix;
            _inverseCellAtBuild = s.Pbc.AllPeriodic ? s.Cell.Matrix.Inverse() : Mat3.Identity;
            _pbcAtBuild = s.Pbc;
            Builds++;
        }
        else _list.UpdateGeometry(s.Positions, s.Cell.Matrix);
        return _list;
    }

    private bool NeedsRebuild(Structure s)
    {
        if (s.Count != _positionsAtBuild.Length || s.Pbc != _pbcAtBuild) return true;
        var deformation = Mat3.Identity;
        double stretch = 1;
        if (!s.Cell.Matrix.Equals(_cellAtBuild))
        {
            // Only fully periodic cells may deform; elsewhere a changed cell means a new problem.
            if (!s.Pbc.AllPeriodic) return true;
            deformation = _inverseCellAtBuild * s.Cell.Matrix;
            var inverseMinusOne = deformation.Inverse() - Mat3.Identity;
            double frobenius = Math.Sqrt(inverseMinusOne.ToArray().Sum(x => x * x));
            stretch = 1 + frobenius;
        }
        double maxU = 0;
        var r = s.Positions;
        for (int i = 0; i < r.Length; i++)
        {
            double u = (r[i] - _positionsAtBuild[i] * deformation).LengthSquared;
            if (u > maxU) maxU = u;
        }
        return (cutoff + 2 * Math.Sqrt(maxU)) * stretch >= cutoff + skin;
    }
}
