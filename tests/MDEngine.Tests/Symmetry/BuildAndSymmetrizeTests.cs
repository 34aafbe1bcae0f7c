using MDEngine.Geometry;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Tests.Symmetry;

public class BuildAndSymmetrizeTests
{
    [Fact]
    public void RockSaltFromWyckoffPositions()
    {
        var nacl = CrystalBuilder.Build(225, new LatticeParameters(5.64, 5.64, 5.64, 90, 90, 90),
            [AsymmetricSite.Parse("Na:4a"), AsymmetricSite.Parse("Cl:4b")]);
        Assert.Equal(8, nacl.Count);
        Assert.Equal("Cl4Na4", nacl.Formula);
        var d = SymmetryAnalyzer.Analyze(nacl);
        Assert.Equal(225, d.Number);
        Assert.Equal("aaaabbbb", new string(d.Wyckoffs));
    }

    [Fact]
    public void FreeParametersAndGeneralCoordinates()
    {
        // Rutile TiO2: Ti 2a, O 4f (x, x, 0) with x = 0.3049.
        var rutile = CrystalBuilder.Build(136, new LatticeParameters(4.594, 4.594, 2.959, 90, 90, 90),
            [AsymmetricSite.Parse("Ti:2a"), AsymmetricSite.Parse("O:4f:x=0.3049")]);
        Assert.Equal(6, rutile.Count);
        var d = SymmetryAnalyzer.Analyze(rutile);
        Assert.Equal(136, d.Number);
        Assert.Equal("aaffff", new string(d.Wyckoffs));
        // The same oxygen given by coordinates: its orbit has the 4 points of 4f.
        var again = CrystalBuilder.Build(136, new LatticeParameters(4.594, 4.594, 2.959, 90, 90, 90),
            [AsymmetricSite.Parse("Ti:2a"), AsymmetricSite.Parse("O:0.3049,0.3049,0")]);
        Assert.Equal(6, again.Count);
        // Wurtzite ZnO (P6_3mc): hexagonal axes in the standard orientation.
        var zno = CrystalBuilder.Build(186, new LatticeParameters(3.25, 3.25, 5.2, 90, 90, 120),
            [AsymmetricSite.Parse("Zn:2b:z=0"), AsymmetricSite.Parse("O:2b:z=0.382")]);
        Assert.Equal(186, SymmetryAnalyzer.Analyze(zno).Number);
    }

    [Fact]
    public void OtherSettingsBuildTheSameCrystal()
    {
        // Diamond in origin choice 2 (Si at 8a = 1/8,1/8,1/8) and Bi in R-3m on rhombohedral axes.
        var si = CrystalBuilder.Build(SpaceGroupDatabase.FindBySymbol("Fd-3m:2")!, new LatticeParameters(5.43, 5.43, 5.43, 90, 90, 90), [AsymmetricSite.Parse("Si:8a")]);
        Assert.Equal(8, si.Count);
        var d = SymmetryAnalyzer.Analyze(si);
        Assert.Equal(227, d.Number);
        Assert.Equal(525, d.HallNumber);
        var bi = CrystalBuilder.Build(SpaceGroupDatabase.FindBySymbol("R-3m:R")!, new LatticeParameters(4.75, 4.75, 4.75, 57.2, 57.2, 57.2), [AsymmetricSite.Parse("Bi:2c:x=0.234")]);
        Assert.Equal(2, bi.Count);
        var db = SymmetryAnalyzer.Analyze(bi, 1e-4);
        Assert.Equal(166, db.Number);
        Assert.Equal(6, db.Conventional.Count);
        Assert.Equal(2, db.Primitive.Count);
    }

    [Fact]
    public void OverlappingSitesAndWrongLatticesAreErrors()
    {
        var cubic = new LatticeParameters(4, 4, 4, 90, 90, 90);
        var e = Assert.Throws<ArgumentException>(() => CrystalBuilder.Build(221, cubic, [AsymmetricSite.Parse("Cs:1a"), AsymmetricSite.Parse("Cl:0.05,0,0")]));
        Assert.Contains("overlap", e.Message);
        Assert.Throws<ArgumentException>(() => CrystalBuilder.Build(221, new LatticeParameters(4, 4, 5, 90, 90, 90), [AsymmetricSite.Parse("Cs:1a")]));
        Assert.Throws<ArgumentException>(() => CrystalBuilder.Build(221, cubic, [AsymmetricSite.Parse("Cs:2a")]));
        Assert.Throws<ArgumentException>(() => CrystalBuilder.Build(221, cubic, [AsymmetricSite.Parse("Cs:1z")]));
    }

    private static Structure DistortedPerovskite(out SymmetryOperations ops)
    {
        var s = CrystalBuilder.Build(221, new LatticeParameters(3.9, 3.9, 3.9, 90, 90, 90),
            [AsymmetricSite.Parse("Sr:1a"), AsymmetricSite.Parse("Ti:1b"), AsymmetricSite.Parse("O:3c")]);
        var supercell = Supercell.Repeat(s, 2, 1, 1);
        ops = SymmetryAnalyzer.Analyze(supercell, 1e-3).Operations;
        // Rotate the whole crystal to make the Cartesian rotations non-trivial.
        var rotation = new Mat3(0.36, 0.48, -0.8, -0.8, 0.6, 0, 0.48, 0.64, 0.6);
        var rotated = new Structure(supercell.Numbers, supercell.Positions.Select(p => rotation * p).ToArray(),
            new Cell(supercell.Cell.Matrix * rotation.Transpose()), Pbc.All);
        return rotated;
    }

    [Fact]
    public void SymmetrizedForcesAndStressAreInvariantAndProjections()
    {
        var s = DistortedPerovskite(out var ops);
        var rng = new Random(3);
        var forces = Enumerable.Range(0, s.Count).Select(_ => new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        var f1 = Symmetrizer.SymmetrizeForces(forces, s.Cell, ops);
        var f2 = Symmetrizer.SymmetrizeForces(f1, s.Cell, ops);
        for (int i = 0; i < s.Count; i++) Assert.True((f1[i] - f2[i]).Length < 1e-12, "symmetrization is a projection");
        // Every atom of the cubic perovskite sits on a centre of inversion or a 4/mmm site: symmetric forces vanish.
        Assert.All(f1, f => Assert.True(f.Length < 1e-12));
        var sigma = new Mat3(1, 0.2, 0.3, 0.2, 2, 0.4, 0.3, 0.4, 3);
        var st = Symmetrizer.SymmetrizeStress(sigma, s.Cell, ops);
        // The tetragonal 2×1×1 supercell keeps 4/mmm about its long axis: the stress is diagonal in the crystal frame
        // with two equal components, and the trace is kept.
        Assert.Equal(sigma.Trace, st.Trace, 12);
        var lattice = s.Cell.Matrix;
        var a = lattice.Row(0) / lattice.Row(0).Length;
        var b = lattice.Row(1) / lattice.Row(1).Length;
        var c = lattice.Row(2) / lattice.Row(2).Length;
        Assert.Equal(0, a.Dot(st * b), 12);
        Assert.Equal(b.Dot(st * b), c.Dot(st * c), 12);
        Assert.True(Math.Abs(Symmetrizer.SymmetrizeStress(st, s.Cell, ops).M01 - st.M01) < 1e-14);
    }

    [Fact]
    public void CosetShortcutEqualsTheFullGroupAverage()
    {
        // A 2×2×1 supercell of wurtzite: 48 operations; forces averaged by cosets and over every operation agree.
        var zno = CrystalBuilder.Build(186, new LatticeParameters(3.25, 3.25, 5.2, 90, 90, 120),
            [AsymmetricSite.Parse("Zn:2b:z=0"), AsymmetricSite.Parse("O:2b:z=0.382")]);
        var supercell = Supercell.Repeat(zno, 2, 2, 1);
        var ops = SymmetryAnalyzer.Analyze(supercell, 1e-4).Operations;
        Assert.NotNull(ops.Factorization);
        var full = new SymmetryOperations(ops.Operations, ops.Permutations);
        var rng = new Random(11);
        var forces = Enumerable.Range(0, supercell.Count).Select(_ => new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        var fast = Symmetrizer.SymmetrizeForces(forces, supercell.Cell, ops);
        var slow = Symmetrizer.SymmetrizeForces(forces, supercell.Cell, full);
        for (int i = 0; i < forces.Length; i++) Assert.True((fast[i] - slow[i]).Length < 1e-12);
        // Polar axis: the symmetric forces keep a z component, equal on all atoms of one species.
        Assert.Contains(fast, f => Math.Abs(f.Z) > 1e-6);
        Assert.All(fast, f => Assert.True(Math.Abs(f.X) < 1e-12 && Math.Abs(f.Y) < 1e-12));
    }

    [Fact]
    public void SymmetrizedPositionsRemoveNoise()
    {
        var s = DistortedPerovskite(out var ops);
        var ideal = s.Positions;
        var rng = new Random(5);
        var noisy = ideal.Select(p => p + 1e-4 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        var sym = Symmetrizer.SymmetrizePositions(noisy, s.Cell, ops);
        // Averaging over the group keeps only the rigid shift of the noise, common to all atoms.
        var shift = sym[0] - ideal[0];
        for (int i = 0; i < s.Count; i++) Assert.True((sym[i] - ideal[i] - shift).Length < 1e-9);
        var again = Symmetrizer.SymmetrizePositions(sym, s.Cell, ops);
        for (int i = 0; i < s.Count; i++) Assert.True((again[i] - sym[i]).Length < 1e-10);
    }

    [Fact]
    public void CifWithSymmetryExpandsToTheConventionalCell()
    {
        var zno = CrystalBuilder.Build(186, new LatticeParameters(3.25, 3.25, 5.2, 90, 90, 120),
            [AsymmetricSite.Parse("Zn:2b:z=0"), AsymmetricSite.Parse("O:2b:z=0.382")]);
        var d = SymmetryAnalyzer.Analyze(zno);
        string cif = SymmetryCifWriter.Write(d, "zno");
        Assert.Contains("_space_group_IT_number 186", cif);
        Assert.Contains("_symmetry_space_group_name_H-M 'P 6_3 m c'", cif);
        // Read back the operations and the asymmetric unit, expand, and compare with the standardized cell.
        var lines = cif.Split('\n').Select(l => l.Trim()).ToList();
        var ops = lines.Where(l => l.Length > 0 && char.IsDigit(l[0]) && l.Contains('\'')).Select(l => SymmetryOperation.Parse(l.Split('\'')[1])).ToList();
        Assert.Equal(12, ops.Count);
        var sites = lines.SkipWhile(l => l != "_atom_site_occupancy").Skip(1).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToList();
        Assert.Equal(2, sites.Count);
        int expanded = 0;
        foreach (var site in sites)
        {
            var p = new Vec3(double.Parse(site[4], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(site[5], System.Globalization.CultureInfo.InvariantCulture), double.Parse(site[6], System.Globalization.CultureInfo.InvariantCulture));
            var orbit = new List<Vec3>();
            foreach (var g in ops)
            {
                var y = Fractional.Mod1(g.Apply(p));
                if (!orbit.Any(z => Fractional.Wrap(z - y).Length < 1e-6)) orbit.Add(y);
            }
            Assert.Equal(int.Parse(site[2]), orbit.Count);
            expanded += orbit.Count;
        }
        Assert.Equal(d.Conventional.Count, expanded);
    }
}
