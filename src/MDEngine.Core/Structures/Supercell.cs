using MDEngine.Geometry;

namespace MDEngine.Structures;

public static class Supercell
{
    /// <summary>Repeats the structure na × nb × nc times along its lattice vectors (ASE's <c>atoms.repeat</c>: the
    /// copies are ordered with the slowest index along a, and each copy holds all atoms in their original order).</summary>
    public static Structure Repeat(Structure s, int na, int nb, int nc) =>
        Make(s, Mat3.Diagonal(na, nb, nc));

    /// <summary>The supercell whose lattice vectors are <paramref name="p"/> × cell (rows of integers), as ASE's
    /// <c>make_supercell</c>. Atoms are the lattice translations of the original ones that fall inside the new cell.</summary>
    public static Structure Make(Structure s, Mat3 p)
    {
        double det = p.Determinant;
        int copies = (int)Math.Round(Math.Abs(det));
        if (copies < 1 || Math.Abs(Math.Abs(det) - copies) > 1e-9) throw new ArgumentException("The supercell matrix must be integer with non-zero determinant.");
        var newCell = new Cell(p * s.Cell.Matrix);
        var translations = LatticePointsInside(p);
        var numbers = new List<int>(s.Count * copies);
        var positions = new List<Vec3>(s.Count * copies);
        var masses = new List<double>(s.Count * copies);
        var velocities = s.Velocities is null ? null : new List<Vec3>(s.Count * copies);
        var source = new List<int>(s.Count * copies);
        foreach (var t in translations)
        {
            var shift = s.Cell.ToCartesian(t);
            for (int i = 0; i < s.Count; i++)
            {
                numbers.Add(s.Numbers[i]);
                positions.Add(s.Positions[i] + shift);
                masses.Add(s.Masses[i]);
                velocities?.Add(s.Velocities![i]);
                source.Add(i);
            }
        }
        var result = new Structure(numbers, positions, newCell, s.Pbc, masses) { Velocities = velocities?.ToArray() };
        foreach (var (k, v) in s.Arrays) result.Arrays[k] = v.Select(source);
        foreach (var (k, v) in s.Info) if (k is not (Structure.EnergyKey or Structure.StressKey)) result.Info[k] = v is Array a ? a.Clone() : v;
        return result;
    }

    // Integer lattice translations t (in units of the original cell) with t·P⁻¹ in [0,1)³, ordered a-slowest.
    private static List<Vec3> LatticePointsInside(Mat3 p)
    {
        var inverse = p.Inverse();
        int[] lo = new int[3], hi = new int[3];
        for (int k = 0; k < 3; k++)
        {
            // Corners of the supercell in the original lattice's coordinates bound the search.
            double min = 0, max = 0;
            for (int corner = 0; corner < 8; corner++)
            {
                double v = 0;
                for (int r = 0; r < 3; r++) if ((corner >> r & 1) == 1) v += p[r, k];
                min = Math.Min(min, v); max = Math.Max(max, v);
            }
            lo[k] = (int)Math.Floor(min); hi[k] = (int)Math.Ceiling(max);
        }
        var points = new List<Vec3>();
        for (int a = lo[0]; a <= hi[0]; a++)
            for (int b = lo[1]; b <= hi[1]; b++)
                for (int c = lo[2]; c <= hi[2]; c++)
                {
                    var t = new Vec3(a, b, c);
                    var f = t * inverse;
                    const double eps = 1e-9;
                    if (f.X >= -eps && f.X < 1 - eps && f.Y >= -eps && f.Y < 1 - eps && f.Z >= -eps && f.Z < 1 - eps) points.Add(t);
                }
        return points;
    }
}
