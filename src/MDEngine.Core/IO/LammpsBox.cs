using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// A LAMMPS simulation box: origin (xlo, ylo, zlo), lengths and tilt factors xy, xz, yz, i.e. the lattice vectors
/// a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz). LAMMPS needs this orientation; <see cref="FromCell"/> rotates
/// any right-handed cell into it (and reduces the tilts to at most half a length, changing the cell vectors by
/// lattice vectors only), and returns the map that carries positions and velocities along.
/// </summary>
public readonly record struct LammpsBox(double XLo, double XHi, double YLo, double YHi, double ZLo, double ZHi, double XY, double XZ, double YZ)
{
    public bool IsTriclinic => XY != 0 || XZ != 0 || YZ != 0;

    public Mat3 CellMatrix => new(XHi - XLo, 0, 0, XY, YHi - YLo, 0, XZ, YZ, ZHi - ZLo);

    public Vec3 Origin => new(XLo, YLo, ZLo);

    /// <summary>The box of a right-handed cell and the linear map (row vector times matrix) from the cell's Cartesian
    /// frame into the box's.</summary>
    public static (LammpsBox Box, Mat3 Map) FromCell(Cell cell, string? fileName)
    {
        var m = cell.Matrix;
        if (!(m.Determinant > 0)) throw new InputException(fileName, null, "LAMMPS needs a right-handed, non-singular cell");
        // A cell already in LAMMPS's form (as read from a LAMMPS file) is kept as it is: exact round trips.
        if (m.M01 == 0 && m.M02 == 0 && m.M12 == 0 && Math.Abs(m.M10) <= m.M00 / 2 && Math.Abs(m.M20) <= m.M00 / 2 && Math.Abs(m.M21) <= m.M11 / 2)
            return (new LammpsBox(0, m.M00, 0, m.M11, 0, m.M22, m.M10, m.M20, m.M21), Mat3.Identity);
        Vec3 a = m.Row(0), b = m.Row(1), c = m.Row(2);
        // Reduced tilts (|xy| ≤ lx/2, |xz| ≤ lx/2, |yz| ≤ ly/2), as LAMMPS requires by default.
        double lx = a.Length;
        var ax = a / lx;
        b -= Math.Round(b.Dot(ax) / lx) * a;
        double xy = b.Dot(ax), ly = Math.Sqrt(Math.Max(0, b.Dot(b) - xy * xy));
        double YzOf(Vec3 v) => (b.Dot(v) - xy * v.Dot(ax)) / ly;
        c -= Math.Round(YzOf(c) / ly) * b;
        c -= Math.Round(c.Dot(ax) / lx) * a;
        double xz = c.Dot(ax), yz = YzOf(c), lz = Math.Sqrt(Math.Max(0, c.Dot(c) - xz * xz - yz * yz));
        var box = new LammpsBox(0, lx, 0, ly, 0, lz, Clean(xy, lx), Clean(xz, lx), Clean(yz, ly));
        var reduced = Mat3.FromRows(a, b, c);
        return (box, reduced.Inverse() * box.CellMatrix);
    }

    // Tilts that are rounding noise of an orthogonal cell are written as 0 (an orthogonal box for LAMMPS).
    private static double Clean(double tilt, double length) => Math.Abs(tilt) < 1e-12 * length ? 0 : tilt;

    /// <summary>The box of a dump file's BOX BOUNDS lines: bounds enclose the tilted box, so the tilts are taken off.</summary>
    public static LammpsBox FromDumpBounds(double xloBound, double xhiBound, double yloBound, double yhiBound, double zlo, double zhi,
        double xy, double xz, double yz) =>
        new(xloBound - Math.Min(Math.Min(0, xy), Math.Min(xz, xy + xz)), xhiBound - Math.Max(Math.Max(0, xy), Math.Max(xz, xy + xz)),
            yloBound - Math.Min(0, yz), yhiBound - Math.Max(0, yz), zlo, zhi, xy, xz, yz);

    /// <summary>The three BOX BOUNDS lines of a dump file (bounds, then the tilt when triclinic).</summary>
    public (double Lo, double Hi, double Tilt)[] DumpBounds() =>
    [
        (XLo + Math.Min(Math.Min(0, XY), Math.Min(XZ, XY + XZ)), XHi + Math.Max(Math.Max(0, XY), Math.Max(XZ, XY + XZ)), XY),
        (YLo + Math.Min(0, YZ), YHi + Math.Max(0, YZ), XZ),
        (ZLo, ZHi, YZ),
    ];

    /// <summary>The element of each atom type for writing: types 1, 2, ... are the elements present in order of
    /// atomic number, with the mass of the first atom of each.</summary>
    public static (int[] TypeOf, List<(int Z, double Mass)> Types) AssignTypes(Structure s)
    {
        var zs = s.Numbers.Distinct().Order().ToList();
        var types = zs.Select(z => (z, s.Masses[Array.IndexOf(s.Numbers, z)])).ToList();
        return (s.Numbers.Select(z => zs.IndexOf(z) + 1).ToArray(), types);
    }
}
