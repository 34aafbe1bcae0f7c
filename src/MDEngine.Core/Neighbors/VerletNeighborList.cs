using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>
/// A neighbor list with a Verlet buffer: built with cutoff + skin, reused while no atom has moved more than skin/2
/// since the build and the cell is unchanged; rebuilt automatically otherwise. Between rebuilds only the pair
/// vectors are refreshed, so consumers see current geometry and skip pairs beyond their cutoff.
/// </summary>
public sealed class VerletNeighborList
{
    private NeighborList? _list;
    private Vec3[] _positionsAtBuild = [];
    private Mat3 _cellAtBuild;
    private Pbc _pbcAtBuild;
    private int[] _numbersAtBuild = [];

    public double Cutoff { get; }
    public double Skin { get; }
    public bool Full { get; }
    public int Builds { get; private set; }

    public VerletNeighborList(double cutoff, double skin, bool full)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), "The cutoff must be positive.");
        if (!(skin >= 0)) throw new ArgumentOutOfRangeException(nameof(skin), "The skin must not be negative.");
        Cutoff = cutoff; Skin = skin; Full = full;
    }

    public NeighborList Update(Structure s)
    {
        if (_list is null || NeedsRebuild(s))
        {
            _list = NeighborListBuilder.Build(s, Cutoff + Skin, Full);
            _positionsAtBuild = (Vec3[])s.Positions.Clone();
            _cellAtBuild = s.Cell.Matrix;
            _pbcAtBuild = s.Pbc;
            _numbersAtBuild = (int[])s.Numbers.Clone();
            Builds++;
        }
        else _list.UpdateGeometry(s.Positions, s.Cell.Matrix);
        return _list;
    }

    private bool NeedsRebuild(Structure s)
    {
        if (s.Count != _positionsAtBuild.Length || !s.Cell.Matrix.Equals(_cellAtBuild) || s.Pbc != _pbcAtBuild) return true;
        if (!s.Numbers.AsSpan().SequenceEqual(_numbersAtBuild)) return true;
        double limitSquared = 0.25 * Skin * Skin;
        for (int i = 0; i < s.Count; i++)
            if ((s.Positions[i] - _positionsAtBuild[i]).LengthSquared > limitSquared) return true;
        return false;
    }
}
