using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>The conventional axes in which spglib matches a monoclinic crystal against its Hall-symbol database, where
/// the input cell is not itself a conventional cell (supercells): they decide on which side of 0 a noisy translation
/// falls, hence the origin and the Wyckoff letters (see <see cref="HallMatchingFrame"/>). spglib starts from the axes
/// of the first 2-fold rotation (<see cref="HallMatchingFrame.MonoclinicAxes"/>), reduces the plane perpendicular to b
/// (2D Delaunay reduction; b turned over when the cell is left-handed), brings an A-, B- or I-centred cell to C, and
/// then tries 36 changes of basis in a fixed order, keeping those whose angle between the two non-unique axes is not
/// acute (and, for P2, P2₁, Pm, P2/m, P2₁/m, whose first non-unique axis is not the longer); among the bases whose
/// operations match the Hall symbol it takes the first of smallest |a| + |c|. The table of changes of basis, their
/// centrings and unique axes are spglib's (spacegroup.c; BSD 3-clause, see tools/reference/spglib/COPYING).</summary>
internal static class MonoclinicHallFrames
{
    private static readonly IntMat3[] ChangeOfBasis =
    [
        new(1, 0, 0, 0, 1, 0, 0, 0, 1), new(0, 0, 1, 0, -1, 0, 1, 0, 0), new(0, 0, 1, 1, 0, 0, 0, 1, 0),
        new(1, 0, 0, 0, 0, 1, 0, -1, 0), new(0, 1, 0, 0, 0, 1, 1, 0, 0), new(0, -1, 0, 1, 0, 0, 0, 0, 1),
        new(-1, 0, 1, 0, 1, 0, -1, 0, 0), new(1, 0, -1, 0, -1, 0, 0, 0, -1), new(0, 1, -1, 1, 0, 0, 0, 0, -1),
        new(-1, -1, 0, 0, 0, 1, -1, 0, 0), new(1, -1, 0, 0, 0, 1, 0, -1, 0), new(0, 1, 1, 1, 0, 0, 0, 1, 0),
        new(0, 0, -1, 0, 1, 0, 1, 0, -1), new(-1, 0, 0, 0, -1, 0, -1, 0, 1), new(0, -1, 0, 1, 0, 0, 0, -1, 1),
        new(0, 1, 0, 0, 0, 1, 1, 1, 0), new(-1, 0, 0, 0, 0, 1, -1, 1, 0), new(0, 0, -1, 1, 0, 0, 0, -1, -1),
        new(1, 0, 0, 0, -1, 0, 0, 0, -1), new(0, 0, -1, 0, 1, 0, 1, 0, 0), new(0, 0, 1, -1, 0, 0, 0, -1, 0),
        new(-1, 0, 0, 0, 0, -1, 0, -1, 0), new(0, 1, 0, 0, 0, -1, -1, 0, 0), new(0, 1, 0, -1, 0, 0, 0, 0, 1),
        new(-1, 0, -1, 0, -1, 0, -1, 0, 0), new(1, 0, 1, 0, 1, 0, 0, 0, 1), new(0, -1, -1, -1, 0, 0, 0, 0, -1),
        new(1, -1, 0, 0, 0, -1, 1, 0, 0), new(-1, -1, 0, 0, 0, -1, 0, -1, 0), new(0, -1, 1, -1, 0, 0, 0, -1, 0),
        new(0, 0, 1, 0, -1, 0, 1, 0, 1), new(-1, 0, 0, 0, 1, 0, -1, 0, -1), new(0, 1, 0, -1, 0, 0, 0, 1, 1),
        new(0, 1, 0, 0, 0, -1, -1, 1, 0), new(1, 0, 0, 0, 0, -1, 1, 1, 0), new(0, 0, -1, -1, 0, 0, 0, 1, -1),
    ];

    /// <summary>Centring of the changed cell when the starting cell is C-centred (a P cell stays P).</summary>
    private const string CenteringOfChange = "CABBACACCABBIIIIIICABBACACCABBIIIIII";

    private static readonly int[] UniqueAxis = [1, 1, 0, 2, 2, 0, 1, 1, 0, 2, 2, 0, 1, 1, 0, 2, 2, 0, 1, 1, 0, 2, 2, 0, 1, 1, 0, 2, 2, 0, 1, 1, 0, 2, 2, 0];

    /// <summary>Space-group types for which spglib also wants the first non-unique axis to be the shorter.</summary>
    private static readonly int[] LengthPreference = [3, 4, 6, 10, 11];

    /// <summary>Candidate frames (columns: conventional axes in the reduced primitive basis), most preferred first.</summary>
    public static IEnumerable<IntMat3> Candidates(HallSetting setting, IReadOnlyList<IntMat3> rotations, Mat3 primitiveLattice,
        IntMat3 enumerationBasis, double symprec)
    {
        if (HallMatchingFrame.MonoclinicAxes(rotations, enumerationBasis) is not { } axes) return [];
        var conv = Cartesian(axes, primitiveLattice);
        var reduced = Reduce2D(conv, symprec);
        // Coefficients of the reduced vectors in the primitive basis (v = kᵀ P, so k = P⁻ᵀ v).
        var toCoefficients = primitiveLattice.Inverse().Transpose();
        var k = IntMat3.Round(Mat3.FromRows(toCoefficients * reduced[0], toCoefficients * reduced[1], toCoefficients * reduced[2]).Transpose(), 0.5);
        if (k is not { } start) return [];
        char centering = Centering(start);
        IntMat3 corrected = centering switch
        {
            'P' or 'C' => start,
            'A' => start * new IntMat3(0, 0, 1, 0, -1, 0, 1, 0, 0),
            'I' => start * new IntMat3(1, 0, -1, 0, 1, 0, 1, 0, 0),
            _ => default,
        };
        if (centering == 'B' || centering == '?') return [];
        char startCentering = centering == 'P' ? 'P' : 'C';
        var found = new List<(IntMat3 Frame, double Size, int Index)>();
        for (int i = 0; i < ChangeOfBasis.Length; i++)
        {
            char changed = startCentering == 'C' ? CenteringOfChange[i] : 'P';
            if (changed != setting.Centering) continue;
            var frame = corrected * ChangeOfBasis[i];
            var cell = Cartesian(frame, primitiveLattice);
            Vec3 u = default, v = default;
            int n = 0;
            for (int j = 0; j < 3; j++)
            {
                if (j == UniqueAxis[i]) continue;
                if (n++ == 0) u = cell[j]; else v = cell[j];
            }
            // Not acute, and for some types the shorter non-unique axis first (spglib's 1e-10 margins).
            if (u.Dot(v) > 1e-10) continue;
            if (LengthPreference.Contains(setting.Number) && u.LengthSquared > v.LengthSquared + 1e-10) continue;
            found.Add((frame, u.Length + v.Length, i));
        }
        // spglib keeps the first matching basis among those of smallest |a| + |c| (within symprec); ordering by that
        // sum, ties kept in table order, makes the first match the same basis.
        double shortest = found.Count == 0 ? 0 : found.Min(f => f.Size);
        return found.OrderBy(f => f.Size - shortest < symprec ? 0 : f.Size).ThenBy(f => f.Index).Select(f => f.Frame).ToList();
    }

    /// <summary>Cartesian vectors of the frame's columns.</summary>
    private static Vec3[] Cartesian(IntMat3 frame, Mat3 primitiveLattice)
    {
        var result = new Vec3[3];
        for (int j = 0; j < 3; j++)
            result[j] = frame[0, j] * primitiveLattice.Row(0) + frame[1, j] * primitiveLattice.Row(1) + frame[2, j] * primitiveLattice.Row(2);
        return result;
    }

    /// <summary>spglib's 2D Delaunay reduction of the plane of a and c with b fixed (b turned over when left-handed).</summary>
    private static Vec3[] Reduce2D(Vec3[] cell, double symprec)
    {
        var basis = new[] { cell[0], cell[2], -(cell[0] + cell[2]) };
        for (int attempt = 0; attempt < 100; attempt++)
        {
            bool changed = false;
            for (int i = 0; i < 2 && !changed; i++)
                for (int j = i + 1; j < 3 && !changed; j++)
                {
                    if (basis[i].Dot(basis[j]) <= symprec) continue;
                    int k = 3 - i - j;
                    basis[k] += 2 * basis[i];
                    basis[i] = -basis[i];
                    changed = true;
                }
            if (!changed) break;
        }
        var b = new List<Vec3> { basis[0], basis[1], basis[2], basis[0] + basis[1] };
        for (int pass = 0; pass < 3; pass++)
            for (int j = 0; j < 3; j++)
                if (b[j].LengthSquared > b[j + 1].LengthSquared + 1e-10) (b[j], b[j + 1]) = (b[j + 1], b[j]);
        Vec3 second = b[1];
        for (int i = 1; i < 4; i++)
            if (Math.Abs(Mat3.FromRows(b[0], cell[1], b[i]).Determinant) > symprec) { second = b[i]; break; }
        var unique = cell[1];
        if (Mat3.FromRows(b[0], unique, second).Determinant < 0) unique = -unique;
        return [b[0], unique, second];
    }

    /// <summary>Centring of a cell from its lattice points ('P' for index 1, A, B, C or I for index 2, F for index 4,
    /// '?' otherwise).</summary>
    internal static char Centering(IntMat3 frame)
    {
        int det = Math.Abs(frame.Determinant);
        if (det == 1) return 'P';
        var inverse = frame.ToMat3().Inverse();
        if (det == 4)
        {
            // Face-centred: the images of the primitive vectors are the three face centres.
            var faces = Enumerable.Range(0, 3).Select(j => Fractional.Mod1(inverse * new Vec3(j == 0 ? 1 : 0, j == 1 ? 1 : 0, j == 2 ? 1 : 0)))
                .Count(p => new[] { p.X, p.Y, p.Z }.Count(x => Math.Abs(x - 0.5) < 1e-6) == 2 && new[] { p.X, p.Y, p.Z }.Count(x => Math.Abs(x) < 1e-6) == 1);
            return faces == 3 ? 'F' : '?';
        }
        if (det != 2) return '?';
        for (int j = 0; j < 3; j++)
        {
            var p = Fractional.Mod1(inverse * new Vec3(j == 0 ? 1 : 0, j == 1 ? 1 : 0, j == 2 ? 1 : 0));
            bool x = Math.Abs(p.X - 0.5) < 1e-6, y = Math.Abs(p.Y - 0.5) < 1e-6, z = Math.Abs(p.Z - 0.5) < 1e-6;
            if (x && y && z) return 'I';
            if (y && z) return 'A';
            if (x && z) return 'B';
            if (x && y) return 'C';
        }
        return '?';
    }
}
