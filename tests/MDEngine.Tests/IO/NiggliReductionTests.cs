using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

public class NiggliReductionTests
{
    private static readonly JsonElement[] Reference =
        JsonDocument.Parse(File.ReadAllText(IoReference.PathOf("niggli_reference.json"))).RootElement.EnumerateArray().ToArray();

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Reference.Length; i++) data.Add(i);
        return data;
    }

    private static Cell CellOf(JsonElement e) => new(Mat3.FromArray(IoReference.Reals(e)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesAseAndSatisfiesTheNiggliConditions(int index)
    {
        var r = Reference[index];
        var input = CellOf(r.GetProperty("cell"));
        var result = NiggliReduction.Reduce(input);

        var p = result.Cell.Parameters();
        IoReference.AssertClose(IoReference.Reals(r.GetProperty("cellpar")), [p.A, p.B, p.C, p.Alpha, p.Beta, p.Gamma], 1e-9, "cell parameters");
        IoReference.AssertClose(IoReference.Reals(r.GetProperty("reduced")), result.Cell.Matrix.ToArray(), 1e-9, "reduced cell");
        var t = result.Transformation;
        var expected = IoReference.Reals(r.GetProperty("transformation"));
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) Assert.Equal(expected[3 * i + j], t[i, j]);

        int det = t[0, 0] * (t[1, 1] * t[2, 2] - t[1, 2] * t[2, 1]) - t[0, 1] * (t[1, 0] * t[2, 2] - t[1, 2] * t[2, 0]) + t[0, 2] * (t[1, 0] * t[2, 1] - t[1, 1] * t[2, 0]);
        Assert.Equal(1, Math.Abs(det));
        Assert.Equal(input.Volume, result.Cell.Volume, 1e-9 * input.Volume);
        Assert.Equal(input.Volume, result.CellSameOrientation.Volume, 1e-9 * input.Volume);
        AssertNiggliConditions(result.CellSameOrientation, 1e-5 * Math.Cbrt(input.Volume));

        // The same lattice: the reduced vectors in the input orientation have the reduced cell's metric.
        var q = result.CellSameOrientation.Parameters();
        IoReference.AssertClose([p.A, p.B, p.C, p.Alpha, p.Beta, p.Gamma], [q.A, q.B, q.C, q.Alpha, q.Beta, q.Gamma], 1e-9, "orientation");
    }

    /// <summary>The conditions of a Niggli-reduced cell (International Tables A, §9.2.2), with tolerance ε.</summary>
    private static void AssertNiggliConditions(Cell cell, double eps)
    {
        Vec3 a = cell.A, b = cell.B, c = cell.C;
        double A = a.Dot(a), B = b.Dot(b), C = c.Dot(c), xi = 2 * b.Dot(c), eta = 2 * a.Dot(c), zeta = 2 * a.Dot(b);
        Assert.True(A <= B + eps && B <= C + eps, "A ≤ B ≤ C");
        Assert.True(Math.Abs(xi) <= B + eps && Math.Abs(eta) <= A + eps && Math.Abs(zeta) <= A + eps, "|ξ| ≤ B, |η| ≤ A, |ζ| ≤ A");
        bool allPositive = xi > eps / 2 && eta > eps / 2 && zeta > eps / 2;
        bool allNonPositive = xi <= eps / 2 && eta <= eps / 2 && zeta <= eps / 2;
        Assert.True(allPositive || allNonPositive, "ξ, η, ζ all positive or all non-positive");
        Assert.True(xi + eta + zeta + A + B >= -eps, "ξ + η + ζ + A + B ≥ 0");
    }

    [Fact]
    public void ApplyKeepsTheAtomsAndTheirEnvironment()
    {
        // A fcc Cu crystal described by a skewed cell: the reduced cell holds the same crystal.
        var fcc = new Cell(Mat3.FromArray([0, 1.8075, 1.8075, 1.8075, 0, 1.8075, 1.8075, 1.8075, 0]));
        var skew = new Cell(Mat3.FromArray([1, 2, 0, 0, 1, 1, 1, 1, 1]) * fcc.Matrix);
        var s = Structure.FromFractional([29], [new Vec3(0.3, 0.2, 0.1)], skew);
        s.Velocities = [new Vec3(0.01, -0.02, 0.03)];
        foreach (bool keep in new[] { false, true })
        {
            var reduced = NiggliReduction.Apply(s, keepOrientation: keep);
            Assert.Equal(2.5561910139893693, reduced.Cell.Parameters().A, 12);
            Assert.Equal(s.Volume, reduced.Volume, 12);
            Assert.All(reduced.FractionalPositions(), f => Assert.True(f.X >= 0 && f.X < 1 && f.Y >= 0 && f.Y < 1 && f.Z >= 0 && f.Z < 1));
            Assert.Equal(s.Velocities[0].Length, reduced.Velocities![0].Length, 15);
            if (keep)
            {
                // Same place up to a lattice translation of the original cell.
                var d = s.Cell.ToFractional(reduced.Positions[0] - s.Positions[0]);
                Assert.True(Math.Abs(d.X - Math.Round(d.X)) < 1e-12 && Math.Abs(d.Y - Math.Round(d.Y)) < 1e-12 && Math.Abs(d.Z - Math.Round(d.Z)) < 1e-12);
                Assert.Equal(s.Velocities[0], reduced.Velocities[0]);
            }
        }
    }
}
