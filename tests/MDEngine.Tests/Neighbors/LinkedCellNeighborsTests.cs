using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Tests.Neighbors;

/// <summary>The linked-cell builder against the O(N²) brute-force reference on thousands of random cells.</summary>
public class LinkedCellNeighborsTests
{
    private const double Tolerance = 1e-9;

    /// <summary>A random cell of one of several shapes, periodic along a random subset of axes, holding a few
    /// atoms that may lie outside it, and a cutoff of up to about 2.5 times the thinnest periodic width.</summary>
    private static (Structure S, double Cutoff, string Label) RandomCase(Random rng, int caseIndex)
    {
        var pbc = new Pbc(rng.Next(2) == 1, rng.Next(2) == 1, rng.Next(2) == 1);
        Mat3 cell;
        string shape;
        switch (rng.Next(4))
        {
            case 0: // orthorhombic
                shape = "orthorhombic";
                cell = Mat3.Diagonal(Length(rng), Length(rng), Length(rng));
                break;
            case 1: // general triclinic: random vectors, not too close to singular
                shape = "triclinic";
                do cell = Mat3.FromRows(RandomVector(rng) * Length(rng), RandomVector(rng) * Length(rng), RandomVector(rng) * Length(rng));
                while (Math.Abs(cell.Determinant) < 0.3 * cell.Row(0).Length * cell.Row(1).Length * cell.Row(2).Length);
                break;
            case 2: // strongly skewed: large off-diagonal tilts (LAMMPS-style triclinic pushed far)
                shape = "skewed";
                double lx = Length(rng), ly = Length(rng), lz = Length(rng);
                cell = new Mat3(lx, 0, 0, Tilt(rng) * lx, ly, 0, Tilt(rng) * lx, Tilt(rng) * ly, lz);
                break;
            default: // thin: one or more very short axes, thinner than the cutoff
                shape = "thin";
                cell = Mat3.FromRows(RandomVector(rng) * (0.4 + rng.NextDouble()), new Vec3(0.3, 2.5 + rng.NextDouble(), 0.1), new Vec3(-0.2, 0.4, 0.5 + 3 * rng.NextDouble()));
                if (Math.Abs(cell.Determinant) < 0.05) cell = Mat3.Diagonal(0.7, 3.1, 0.9);
                break;
        }
        // Empty lattice vectors along some non-periodic axes (slab, wire, molecule).
        for (int k = 0; k < 3; k++)
            if (!pbc[k] && rng.Next(3) == 0)
            {
                var rows = new[] { cell.Row(0), cell.Row(1), cell.Row(2) };
                rows[k] = Vec3.Zero;
                cell = Mat3.FromRows(rows[0], rows[1], rows[2]);
            }
        var completed = CellCompletion.Complete(cell, pbc);
        int n = 1 + rng.Next(7);
        var positions = new Vec3[n];
        for (int i = 0; i < n; i++)
        {
            // Fractional coordinates within [-0.6, 1.6): some atoms outside the cell on every axis.
            var f = new Vec3(Fraction(rng), Fraction(rng), Fraction(rng));
            positions[i] = f * completed;
            for (int k = 0; k < 3; k++)
                if (cell.Row(k).Length == 0) positions[i] += (4 * rng.NextDouble() - 2) * completed.Row(k);
        }
        var widths = new Cell(completed).PerpendicularWidths();
        double thinnest = double.PositiveInfinity;
        for (int k = 0; k < 3; k++) if (pbc[k]) thinnest = Math.Min(thinnest, widths[k]);
        double cutoff = double.IsInfinity(thinnest) ? 0.5 + 4 * rng.NextDouble() : Math.Min(0.2 + 2.5 * thinnest * rng.NextDouble(), 6.0);
        var numbers = Enumerable.Repeat(14, n).ToArray();
        return (new Structure(numbers, positions, new Cell(cell), pbc), cutoff, $"case {caseIndex} ({shape}, pbc {pbc}, {n} atoms, cutoff {cutoff:F3})");
    }

    private static double Length(Random rng) => 1.0 + 5.0 * rng.NextDouble();
    private static double Tilt(Random rng) => 3.0 * rng.NextDouble() - 1.5;
    private static double Fraction(Random rng) => 2.2 * rng.NextDouble() - 0.6;

    private static Vec3 RandomVector(Random rng)
    {
        Vec3 v;
        do v = new Vec3(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1);
        while (v.Length < 0.3 || v.Length > 1);
        return v / v.Length;
    }

    [Fact]
    public void MatchesBruteForceOnThousandsOfRandomCells()
    {
        var rng = new Random(20261124);
        int selfImages = 0, nonPeriodicEmptyAxes = 0;
        for (int c = 0; c < 3000; c++)
        {
            var (s, cutoff, label) = RandomCase(rng, c);
            foreach (bool full in new[] { true, false })
            {
                var expected = BruteForceNeighbors.Build(s, cutoff, full);
                var actual = LinkedCellNeighbors.Build(s, cutoff, full, divisions: 1 + c % 3);
                NeighborListAssert.SamePairs(expected, actual, Tolerance, $"{label} full={full}");
                NeighborListAssert.Consistent(s, actual, Tolerance);
                if (full) selfImages += Enumerable.Range(0, actual.Count).Count(p => actual.I[p] == actual.J[p]);
            }
            if (s.Cell.Matrix.Row(0).Length == 0 || s.Cell.Matrix.Row(1).Length == 0 || s.Cell.Matrix.Row(2).Length == 0) nonPeriodicEmptyAxes++;
        }
        // The random cases do exercise atoms meeting their own images and empty lattice vectors.
        Assert.True(selfImages > 1000, $"only {selfImages} self-image pairs");
        Assert.True(nonPeriodicEmptyAxes > 300, $"only {nonPeriodicEmptyAxes} cells with an empty axis");
    }

    [Fact]
    public void ScalarScanMatchesBruteForce()
    {
        // The search tests distances four at a time where the hardware allows; the scalar loop is the fallback.
        var rng = new Random(99);
        bool saved = LinkedCellNeighbors.UseVectorizedScan;
        try
        {
            LinkedCellNeighbors.UseVectorizedScan = false;
            for (int c = 0; c < 500; c++)
            {
                var (s, cutoff, label) = RandomCase(rng, c);
                foreach (bool full in new[] { true, false })
                    NeighborListAssert.SamePairs(BruteForceNeighbors.Build(s, cutoff, full), LinkedCellNeighbors.Build(s, cutoff, full), Tolerance, label);
            }
        }
        finally { LinkedCellNeighbors.UseVectorizedScan = saved; }
    }

    [Fact]
    public void HalfListHoldsEachFullListPairOnceInTheConventionalOrientation()
    {
        var rng = new Random(7);
        for (int c = 0; c < 300; c++)
        {
            var (s, cutoff, label) = RandomCase(rng, c);
            var full = LinkedCellNeighbors.Build(s, cutoff, full: true);
            var half = LinkedCellNeighbors.Build(s, cutoff, full: false);
            Assert.True(full.Count == 2 * half.Count, label);
            var fullIndex = NeighborListAssert.Index(full);
            for (int p = 0; p < half.Count; p++)
            {
                var (x, y, z) = half.Shift(p);
                Assert.True(fullIndex.ContainsKey((half.I[p], half.J[p], x, y, z)), label);
                Assert.True(fullIndex.ContainsKey((half.J[p], half.I[p], -x, -y, -z)), label);
            }
        }
    }

    [Fact]
    public void SortedOrderEqualsBruteForceSortedElementByElement()
    {
        var rng = new Random(11);
        for (int c = 0; c < 300; c++)
        {
            var (s, cutoff, label) = RandomCase(rng, c);
            foreach (bool full in new[] { true, false })
            {
                var expected = BruteForceNeighbors.Build(s, cutoff, full);
                expected.SortDeterministically();
                var actual = NeighborListBuilder.Build(s, cutoff, full, sorted: true);
                Assert.Equal(expected.I, actual.I);
                Assert.Equal(expected.J, actual.J);
                Assert.Equal(expected.Shifts, actual.Shifts);
                Assert.Equal(expected.Offsets, actual.Offsets);
                for (int p = 0; p < actual.Count; p++) Assert.True(Math.Abs(expected.Distances[p] - actual.Distances[p]) < Tolerance, label);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ParallelBuildEqualsSerialBuildExactly(bool full)
    {
        // A random gas of 6000 atoms in a skewed, partly periodic cell: enough atoms for several parallel chunks.
        var rng = new Random(3);
        var cell = new Mat3(40, 0, 0, 13, 35, 0, -9, 7, 30);
        var positions = Enumerable.Range(0, 6000).Select(_ => new Vec3(rng.NextDouble() * 1.2 - 0.1, rng.NextDouble(), rng.NextDouble()) * cell).ToArray();
        var s = new Structure(Enumerable.Repeat(18, positions.Length).ToArray(), positions, new Cell(cell), new Pbc(true, false, true));
        var serial = LinkedCellNeighbors.Build(s, 4.0, full, threads: 1);
        var parallel = LinkedCellNeighbors.Build(s, 4.0, full, threads: 4);
        Assert.Equal(serial.I, parallel.I);
        Assert.Equal(serial.J, parallel.J);
        Assert.Equal(serial.Shifts, parallel.Shifts);
        Assert.Equal(serial.Offsets, parallel.Offsets);
        Assert.Equal(serial.Distances, parallel.Distances);
        // The other stencil (cutoff-wide bins, 27 neighbor bins) finds the same pairs.
        var coarse = LinkedCellNeighbors.Build(s, 4.0, full, threads: 2, divisions: 1);
        Assert.Equal(serial.Offsets, coarse.Offsets);
        NeighborListAssert.SamePairs(serial, coarse, Tolerance, "gas");
    }

    [Fact]
    public void EmptyStructureAndSingleAtom()
    {
        var empty = new Structure(Array.Empty<int>(), Array.Empty<Vec3>(), Cell.Cubic(3), Pbc.All);
        var list = NeighborListBuilder.Build(empty, 2.0);
        Assert.Equal(0, list.Count);
        Assert.Equal(new[] { 0 }, list.Offsets);

        // One atom in a 2 Å cubic cell with a 2.5 Å cutoff meets its 6 nearest images (at 2 Å) and no others.
        var single = new Structure(new[] { 29 }, new[] { new Vec3(0.3, 0.2, 0.1) }, Cell.Cubic(2), Pbc.All);
        var full = NeighborListBuilder.Build(single, 2.5);
        Assert.Equal(6, full.Count);
        Assert.All(full.Distances, d => Assert.Equal(2.0, d, 12));
        Assert.Equal(3, NeighborListBuilder.Build(single, 2.5, full: false).Count);
    }

    [Fact]
    public void NonFinitePositionIsRejected()
    {
        var s = new Structure(new[] { 1, 1 }, new[] { new Vec3(0, 0, 0), new Vec3(double.NaN, 0, 0) }, Cell.Cubic(5), Pbc.All);
        Assert.Throws<ArgumentException>(() => NeighborListBuilder.Build(s, 2.0));
    }
}
