using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Neighbors;

/// <summary>The Verlet buffer: reusing the list gives exactly the physics of a list rebuilt every step.</summary>
public class VerletNeighborListTests
{
    /// <summary>1 eV/(Å·amu) in Å/fs².</summary>
    private const double AccelerationUnit = 0.0096485332;
    private const double Boltzmann = 8.617333262e-5;

    private static Structure ArgonCrystal(int repeat)
    {
        var unit = Structure.FromFractional(new[] { 18, 18, 18, 18 },
            new[] { new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5) }, Cell.Cubic(5.26));
        return Supercell.Repeat(unit, repeat, repeat, repeat);
    }

    private static Vec3[] MaxwellVelocities(Structure s, double temperature, Random rng)
    {
        var v = new Vec3[s.Count];
        for (int i = 0; i < s.Count; i++)
        {
            double sigma = Math.Sqrt(Boltzmann * temperature / s.Masses[i] * AccelerationUnit);
            v[i] = sigma * new Vec3(Gaussian(rng), Gaussian(rng), Gaussian(rng));
        }
        return v;
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Velocity Verlet driven by <paramref name="driver"/>; after every step <paramref name="check"/> sees the
    /// structure and the driver's result. <paramref name="deform"/> may change the cell between steps.</summary>
    private static void Integrate(Structure s, Vec3[] velocities, BoundPotential driver, int steps, double dt,
        Action<int, PotentialResult> check, Action<int, Structure>? deform = null)
    {
        var result = driver.Compute(s);
        for (int step = 1; step <= steps; step++)
        {
            var positions = (Vec3[])s.Positions.Clone();
            for (int i = 0; i < s.Count; i++)
            {
                velocities[i] += 0.5 * dt * AccelerationUnit / s.Masses[i] * result.Forces![i];
                positions[i] += dt * velocities[i];
            }
            s.SetPositions(positions);
            deform?.Invoke(step, s);
            result = driver.Compute(s);
            for (int i = 0; i < s.Count; i++) velocities[i] += 0.5 * dt * AccelerationUnit / s.Masses[i] * result.Forces![i];
            check(step, result);
        }
    }

    private static void AssertSameResult(PotentialResult expected, PotentialResult actual, int step)
    {
        Assert.True(Math.Abs(expected.Energy - actual.Energy) < 1e-10, $"step {step}: energy {actual.Energy} vs {expected.Energy}");
        for (int i = 0; i < expected.Forces!.Length; i++)
            Assert.True((expected.Forces[i] - actual.Forces![i]).Length < 1e-10, $"step {step}: force on atom {i}");
        if (expected.Stress is { } stress) Assert.True((stress - actual.Stress!.Value).MaxAbs() < 1e-12, $"step {step}: stress");
    }

    [Fact]
    public void SkinReuseGivesTheForcesOfAListRebuiltEveryStep()
    {
        var s = ArgonCrystal(3);
        var lj = new LennardJones(0.0104, 3.40, 6.5);
        var buffered = new BoundPotential(lj, skin: 1.0);
        var rebuilt = new BoundPotential(lj, skin: 0);
        var velocities = MaxwellVelocities(s, 600, new Random(5));
        const int steps = 150;
        Integrate(s, velocities, buffered, steps, dt: 5.0, (step, result) => AssertSameResult(rebuilt.Compute(s), result, step));
        // The buffer was rebuilt as atoms moved, but far less often than every step.
        Assert.InRange(buffered.NeighborListBuilds, 3, steps / 4);
        Assert.Equal(steps, rebuilt.NeighborListBuilds); // one per step: skin 0 never reuses a moved geometry
    }

    [Fact]
    public void SkinReuseUnderAStrainingCellGivesTheSameForcesAndStress()
    {
        var s = ArgonCrystal(3);
        var cell0 = s.Cell.Matrix;
        var lj = new LennardJones(0.0104, 3.40, 6.5);
        var buffered = new BoundPotential(lj, skin: 1.0);
        var rebuilt = new BoundPotential(lj, skin: 0);
        var velocities = MaxwellVelocities(s, 300, new Random(9));
        const int steps = 120;
        // A breathing, shearing cell (up to 4 % strain), atoms carried along affinely.
        void Deform(int step, Structure x)
        {
            double e = 0.04 * Math.Sin(step * 0.05);
            var strain = new Mat3(1 + e, 0.5 * e, 0, 0, 1 - 0.5 * e, 0.3 * e, 0, 0, 1 + 0.2 * e);
            x.SetCell(new Cell(cell0 * strain), scaleAtoms: true);
        }
        Integrate(s, velocities, buffered, steps, dt: 4.0, (step, result) => AssertSameResult(rebuilt.Compute(s), result, step), Deform);
        Assert.InRange(buffered.NeighborListBuilds, 2, steps / 3);
    }

    [Fact]
    public void BufferedListHoldsEveryPairWithinTheCutoffUnderRandomStrainAndMotion()
    {
        var rng = new Random(17);
        var cell = new Mat3(14, 0, 0, 4, 13, 0, -3, 2, 12);
        var positions = Enumerable.Range(0, 150).Select(_ => new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()) * cell).ToArray();
        var s = new Structure(Enumerable.Repeat(18, positions.Length).ToArray(), positions, new Cell(cell), Pbc.All);
        const double cutoff = 4.0;
        var verlet = new VerletNeighborList(cutoff, 1.0, full: false);
        const int steps = 250;
        for (int step = 0; step < steps; step++)
        {
            if (step > 0)
            {
                var moved = s.Positions.Select(r => r + 0.02 * new Vec3(Gaussian(rng), Gaussian(rng), Gaussian(rng))).ToArray();
                s.SetPositions(moved);
                var increment = Mat3.Identity;
                for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) increment[a, b] += 0.002 * Gaussian(rng);
                s.SetCell(new Cell(s.Cell.Matrix * increment), scaleAtoms: rng.Next(2) == 0);
            }
            var list = verlet.Update(s);
            var fresh = NeighborListBuilder.Build(s, cutoff, full: false);
            var within = Enumerable.Range(0, list.Count).Where(p => list.Distances[p] < cutoff)
                .Select(p => (list.I[p], list.J[p], list.Shift(p))).ToHashSet();
            Assert.Equal(fresh.Count, within.Count);
            for (int p = 0; p < fresh.Count; p++) Assert.Contains((fresh.I[p], fresh.J[p], fresh.Shift(p)), within);
        }
        Assert.InRange(verlet.Builds, 10, steps / 3);
    }

    [Fact]
    public void GeometryRefreshOfALargeListMatchesAFreshList()
    {
        // 2048 Cu atoms at 5 Å: 86,016 entries, enough for the parallel refresh.
        var unit = Structure.FromFractional(new[] { 29, 29, 29, 29 },
            new[] { new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5) }, Cell.Cubic(3.615));
        var s = Supercell.Repeat(unit, 8, 8, 8);
        var list = NeighborListBuilder.Build(s, 5.0, full: true, sorted: true);
        Assert.True(list.Count > 1 << 16);
        var rng = new Random(4);
        s.SetPositions(s.Positions.Select(r => r + 0.01 * new Vec3(Gaussian(rng), Gaussian(rng), Gaussian(rng))).ToArray());
        s.SetCell(new Cell(s.Cell.Matrix * new Mat3(1.001, 0.002, 0, 0, 0.999, 0, 0, 0, 1)), scaleAtoms: false);
        list.UpdateGeometry(s.Positions, s.Cell.Matrix);
        var cell = s.Cell.Matrix;
        for (int p = 0; p < list.Count; p++)
        {
            var (x, y, z) = list.Shift(p);
            var v = s.Positions[list.J[p]] + new Vec3(x, y, z) * cell - s.Positions[list.I[p]];
            Assert.True((v - list.Vectors[p]).Length < 1e-12);
            Assert.Equal(v.Length, list.Distances[p], 12);
        }
    }

    [Fact]
    public void SmallStrainKeepsTheListAndLargeStrainRebuildsIt()
    {
        var s = ArgonCrystal(2);
        var verlet = new VerletNeighborList(5.0, 1.0, full: true);
        verlet.Update(s);
        var cell = s.Cell.Matrix;
        s.SetCell(new Cell(1.01 * cell), scaleAtoms: true);
        verlet.Update(s);
        Assert.Equal(1, verlet.Builds);
        // 12 % expansion: σ_min bound (0.88 · 6 Å = 5.28 Å) no longer leaves room for the 5 Å cutoff after motion.
        s.SetCell(new Cell(1.12 * cell), scaleAtoms: true);
        verlet.Update(s);
        Assert.Equal(2, verlet.Builds);
        // Moving one atom by more than skin/2 at a fixed cell rebuilds.
        var moved = (Vec3[])s.Positions.Clone();
        moved[3] += new Vec3(0.51, 0, 0);
        s.SetPositions(moved);
        verlet.Update(s);
        Assert.Equal(3, verlet.Builds);
    }

    /// <summary>LAMMPS's neigh_modify semantics: without the check the list is rebuilt on schedule even when nothing
    /// moved; with it, only when due and needed; never before the delay; and always when the atoms change.</summary>
    [Fact]
    public void UpdatePolicyFollowsLammpsNeighModify()
    {
        var s = ArgonCrystal(2);
        var unchecked_ = new VerletNeighborList(5.0, 1.0, full: false, NeighborUpdatePolicy.Parse("every 3 check no"));
        for (int step = 0; step < 10; step++) unchecked_.Update(s);
        Assert.Equal(4, unchecked_.Builds); // updates 1, 4, 7 and 10: every third update after a build

        var delayed = new VerletNeighborList(5.0, 1.0, full: false, NeighborUpdatePolicy.Parse("delay 4 check yes"));
        delayed.Update(s);
        var moved = (Vec3[])s.Positions.Clone();
        moved[3] += new Vec3(0.8, 0, 0); // beyond half the skin: a checked list must rebuild, but not before the delay
        s.SetPositions(moved);
        for (int step = 1; step <= 3; step++) { delayed.Update(s); Assert.Equal(1, delayed.Builds); }
        delayed.Update(s);
        Assert.Equal(2, delayed.Builds);

        var species = (int[])s.Numbers.Clone();
        species[0] = 36;
        unchecked_.Update(new Structure(species, s.Positions, s.Cell, s.Pbc));
        Assert.Equal(5, unchecked_.Builds);
    }

    [Theory]
    [InlineData("every 20 delay 0 check no", 20, 0, false)]
    [InlineData("check yes delay 5", 1, 5, true)]
    [InlineData("EVERY 2", 2, 0, true)]
    public void UpdatePolicyParsesLammpsKeywords(string text, int every, int delay, bool check)
    {
        var policy = NeighborUpdatePolicy.Parse(text);
        Assert.Equal(new NeighborUpdatePolicy(every, delay, check), policy);
        Assert.Equal(policy, NeighborUpdatePolicy.Parse(policy.ToString()));
    }

    [Theory]
    [InlineData("every 0")]
    [InlineData("every")]
    [InlineData("delay -1")]
    [InlineData("check maybe")]
    [InlineData("once yes")]
    public void UpdatePolicyRejectsBadKeywords(string text) => Assert.Throws<FormatException>(() => NeighborUpdatePolicy.Parse(text));

    /// <summary>Shift codes and their table give the same translations, bit for bit, as the per-pair Cartesian shifts,
    /// in a cell smaller than the cutoff (many images), after a cell change and after sorting.</summary>
    [Fact]
    public void CompactShiftsEqualCartesianShifts()
    {
        var cell = new Mat3(4.1, 0, 0, 1.3, 3.8, 0, -0.6, 0.9, 4.4);
        var s = new Structure([18, 18, 18], [new Vec3(0.1, 0.2, 0.3), new Vec3(2.0, 1.9, 2.2), new Vec3(3.9, 3.1, 0.4)], new Cell(cell), Pbc.All);
        var list = NeighborListBuilder.Build(s, 9.0, full: false);
        foreach (var h in new[] { cell, 1.03 * cell, cell })
        {
            var (codes, table) = list.CompactShifts(h);
            var vectors = list.CartesianShifts(h);
            for (int p = 0; p < list.Count; p++) Assert.Equal(vectors[p], table[codes[p]]);
            Assert.True(table.Length >= 27 && table.Length < list.Count, $"{table.Length} table entries for {list.Count} pairs");
        }
        list.SortDeterministically();
        var (sortedCodes, sortedTable) = list.CompactShifts(cell);
        var sortedVectors = list.CartesianShifts(cell);
        for (int p = 0; p < list.Count; p++) Assert.Equal(sortedVectors[p], sortedTable[sortedCodes[p]]);
    }

    /// <summary>Every pair of a full list finds its reverse (swapped atoms, opposite image), in a cell smaller than the
    /// radius (many images of one pair); the pairing follows the list through a sort and an in-place rebuild.</summary>
    [Fact]
    public void ReversePairsSwapTheAtomsAndNegateTheImage()
    {
        var cell = new Mat3(4.1, 0, 0, 1.3, 3.8, 0, -0.6, 0.9, 4.4);
        var s = new Structure([18, 18, 18], [new Vec3(0.1, 0.2, 0.3), new Vec3(2.0, 1.9, 2.2), new Vec3(3.9, 3.1, 0.4)], new Cell(cell), Pbc.All);
        var verlet = new VerletNeighborList(6.0, 0.5, full: true, NeighborUpdatePolicy.Parse("every 1 check no"));
        void AssertPaired(NeighborList list)
        {
            var reverse = list.ReversePairs();
            for (int p = 0; p < list.Count; p++)
            {
                int q = reverse[p];
                Assert.True(q >= 0, $"pair {p} has no reverse");
                Assert.Equal((list.J[p], list.I[p]), (list.I[q], list.J[q]));
                var (x, y, z) = list.Shift(p);
                Assert.Equal((-x, -y, -z), list.Shift(q));
                Assert.Equal(p, reverse[q]);
            }
        }
        var first = verlet.Update(s);
        AssertPaired(first);
        first.SortDeterministically();
        AssertPaired(first);
        s.SetPositions([new Vec3(0.4, 0.2, 0.3), new Vec3(2.0, 1.2, 2.2), new Vec3(3.1, 3.1, 0.9)]);
        var rebuilt = verlet.Update(s);
        Assert.Same(first, rebuilt); // rebuilt in place: the pairing is found again
        AssertPaired(rebuilt);
        var half = NeighborListBuilder.Build(s, 6.0, full: false);
        Assert.All(half.ReversePairs().Take(half.Count), q => Assert.Equal(-1, q));
    }
}
