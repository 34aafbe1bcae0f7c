using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Tests;

public class CellTests
{
    [Theory]
    [InlineData(5.43, 5.43, 5.43, 90, 90, 90)]
    [InlineData(3.0, 4.0, 5.0, 70, 80, 100)]
    [InlineData(2.5, 2.5, 6.1, 90, 90, 120)]
    [InlineData(7.1, 3.3, 4.2, 101.5, 95.0, 60.2)]
    public void LatticeParametersRoundTrip(double a, double b, double c, double alpha, double beta, double gamma)
    {
        var cell = Cell.FromParameters(a, b, c, alpha, beta, gamma);
        var p = cell.Parameters();
        Assert.Equal(a, p.A, 12); Assert.Equal(b, p.B, 12); Assert.Equal(c, p.C, 12);
        Assert.Equal(alpha, p.Alpha, 10); Assert.Equal(beta, p.Beta, 10); Assert.Equal(gamma, p.Gamma, 10);
        // ASE's orientation: a along x, b in the xy plane.
        Assert.Equal(0.0, cell.Matrix.M01); Assert.Equal(0.0, cell.Matrix.M02); Assert.Equal(0.0, cell.Matrix.M12);
    }

    [Fact]
    public void RightAnglesGiveExactlyOrthogonalCell()
    {
        var cell = Cell.FromParameters(3, 4, 5);
        Assert.Equal(Mat3.Diagonal(3, 4, 5), cell.Matrix);
        Assert.Equal(60.0, cell.Volume, 12);
    }

    [Fact]
    public void FractionalAndCartesianAreInverse()
    {
        var cell = Cell.FromParameters(3.1, 4.2, 5.3, 75, 85, 105);
        var f = new Vec3(0.1, 0.7, -0.3);
        var back = cell.ToFractional(cell.ToCartesian(f));
        Assert.True((back - f).Length < 1e-14);
    }

    [Fact]
    public void ReciprocalIsDualBasis()
    {
        var cell = Cell.FromParameters(3.1, 4.2, 5.3, 75, 85, 105);
        var product = cell.Matrix * cell.Reciprocal().Transpose();
        Assert.True((product - Mat3.Identity).MaxAbs() < 1e-14);
    }

    [Fact]
    public void WrapMovesAtomsIntoCellAlongPeriodicAxesOnly()
    {
        var s = new Structure([14, 14], [new Vec3(-0.5, 6.0, 12.0), new Vec3(1, 1, 1)], Cell.Cubic(5), new Pbc(true, true, false));
        s.Wrap();
        Assert.Equal(4.5, s.Positions[0].X, 12);
        Assert.Equal(1.0, s.Positions[0].Y, 12);
        Assert.Equal(12.0, s.Positions[0].Z, 12);
    }

    [Fact]
    public void RepeatOrdersCopiesLikeAse()
    {
        var s = new Structure([29], [new Vec3(0.1, 0.2, 0.3)], Cell.Cubic(3.6), Pbc.All);
        var big = Supercell.Repeat(s, 2, 1, 3);
        Assert.Equal(6, big.Count);
        Assert.Equal(new Vec3(0.1, 0.2, 0.3 + 3.6), big.Positions[1]);
        Assert.Equal(new Vec3(0.1 + 3.6, 0.2, 0.3), big.Positions[3]);
        Assert.Equal(6 * s.Volume, big.Volume, 9);
    }

    [Fact]
    public void GeneralSupercellKeepsDensity()
    {
        var s = new Structure([29, 29], [new Vec3(0, 0, 0), new Vec3(1.8, 1.8, 0)], Cell.Cubic(3.6), Pbc.All);
        var p = new Mat3(1, 1, 0, -1, 1, 0, 0, 0, 2);
        var big = Supercell.Make(s, p);
        Assert.Equal(8, big.Count);
        Assert.Equal(4 * s.Volume, big.Volume, 9);
    }
}
