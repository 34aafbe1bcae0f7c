using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Symmetry;

/// <summary>The idealized conventional lattice of a crystal system (equal lengths and exact angles where the
/// system requires them) in the standard orientation: a along x, b in the xy plane.</summary>
internal static class IdealLattice
{
    public static Mat3 Idealize(Mat3 conventional, string crystalSystem)
    {
        var p = new Cell(conventional).Parameters();
        double a = p.A, b = p.B, c = p.C, al = p.Alpha, be = p.Beta, ga = p.Gamma;
        switch (crystalSystem)
        {
            case "cubic": a = b = c = (a + b + c) / 3; al = be = ga = 90; break;
            case "tetragonal": a = b = (a + b) / 2; al = be = ga = 90; break;
            case "trigonal": case "hexagonal": a = b = (a + b) / 2; al = be = 90; ga = 120; break;
            case "orthorhombic": al = be = ga = 90; break;
            case "monoclinic": al = ga = 90; break;
        }
        return Cell.FromParameters(a, b, c, al, be, ga).Matrix;
    }

    /// <summary>Conventional → primitive basis for each centring, columns in conventional coordinates
    /// ((a_p b_p c_p) = (a b c) M), the choices of spglib's standardized primitive cells.</summary>
    public static Mat3 PrimitiveMatrix(char centering) => centering switch
    {
        'A' => new Mat3(1, 0, 0, 0, 0.5, -0.5, 0, 0.5, 0.5),
        'B' => new Mat3(0.5, 0, -0.5, 0, 1, 0, 0.5, 0, 0.5),
        'C' => new Mat3(0.5, 0.5, 0, -0.5, 0.5, 0, 0, 0, 1),
        'I' => new Mat3(-0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0.5, 0.5, -0.5),
        'F' => new Mat3(0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0),
        'R' => new Mat3(2.0 / 3, -1.0 / 3, -1.0 / 3, 1.0 / 3, 1.0 / 3, -2.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3),
        _ => Mat3.Identity,
    };
}
