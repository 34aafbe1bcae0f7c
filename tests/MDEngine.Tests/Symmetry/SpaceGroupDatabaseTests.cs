using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.Symmetry;

namespace MDEngine.Tests.Symmetry;

/// <summary>The embedded tables against spglib's own database (spglib_database.json, written by
/// tools/reference/symmetry_spglib.py from spglib.get_symmetry_from_database and get_spacegroup_type).</summary>
public class SpaceGroupDatabaseTests
{
    private static readonly Lazy<JsonDocument> Reference = new(() => ReferenceData.Load("symmetry", "spglib_database.json"));

    [Fact]
    public void EveryHallSettingHasSpglibsOperationsAndNames()
    {
        var settings = Reference.Value.RootElement.GetProperty("settings").EnumerateArray().ToList();
        Assert.Equal(530, settings.Count);
        Assert.Equal(530, SpaceGroupDatabase.All.Count);
        foreach (var e in settings)
        {
            int hall = e.GetProperty("hall_number").GetInt32();
            var s = SpaceGroupDatabase.ByHallNumber(hall);
            Assert.Equal(hall, s.HallNumber);
            Assert.Equal(e.GetProperty("number").GetInt32(), s.Number);
            // Hall symbols are compared through their operations: spglib 2.0's built-in table and the newer database
            // files spell a few differently (e.g. "A -2yac" and "A -2yab", equal modulo the A centring).
            Assert.Equal(e.GetProperty("international_short").GetString(), s.InternationalShort);
            Assert.Equal(e.GetProperty("pointgroup").GetString(), s.PointGroup);
            Assert.Equal(e.GetProperty("choice").GetString(), s.Choice);
            var expected = e.GetProperty("operations").EnumerateArray()
                .Select(o => { var v = o.EnumerateArray().Select(x => x.GetInt32()).ToArray(); return string.Join(",", v); })
                .OrderBy(x => x, StringComparer.Ordinal).ToList();
            var mine = s.Operations.Select(o => string.Join(",", o.Rotation.ToArray().Concat(new[] { Twelfths(o.Translation.X), Twelfths(o.Translation.Y), Twelfths(o.Translation.Z) })))
                .OrderBy(x => x, StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(mine), $"Hall {hall} ({s.HallSymbol}): operations differ from spglib's");
        }
    }

    private static int Twelfths(double t)
    {
        double v = t * 12;
        Assert.True(Math.Abs(v - Math.Round(v)) < 1e-9, $"translation {t} is not a multiple of 1/12");
        return ((int)Math.Round(v) % 12 + 12) % 12;
    }

    [Fact]
    public void OneDefaultSettingPerSpaceGroupAndGroupsAreClosed()
    {
        for (int n = 1; n <= 230; n++)
        {
            var s = SpaceGroupDatabase.ByNumber(n);
            Assert.Equal(n, s.Number);
            Assert.True(s.IsDefault);
            // Closure: the product of any two operations is in the list (modulo lattice translations).
            var set = new HashSet<string>(s.Operations.Select(o => o.Reduced().ToXyz()));
            foreach (var a in s.Operations.Take(12))
                foreach (var b in s.Operations)
                    Assert.Contains(a.Then(b).Reduced().ToXyz(), set);
        }
        Assert.Equal(230, SpaceGroupDatabase.All.Count(s => s.IsDefault));
    }

    [Fact]
    public void WyckoffMultiplicitiesAreOrbitSizes()
    {
        // The multiplicity of every Wyckoff position is the size of the orbit of a generic point on it.
        var rng = new Random(7);
        foreach (var s in SpaceGroupDatabase.All.Where(x => x.IsDefault))
            foreach (var w in s.Wyckoffs)
            {
                var p = w.Triplets[0].Apply(new Vec3(0.1 + 0.3 * rng.NextDouble(), 0.13 + 0.3 * rng.NextDouble(), 0.17 + 0.3 * rng.NextDouble()));
                var orbit = new List<Vec3>();
                foreach (var g in s.Operations)
                {
                    var y = Fractional.Mod1(g.Apply(p));
                    if (!orbit.Any(z => Fractional.Wrap(z - y).LengthSquared < 1e-12)) orbit.Add(y);
                }
                Assert.True(orbit.Count == w.Multiplicity, $"{s}: {w} orbit has {orbit.Count} points");
                Assert.Equal(w.Multiplicity, w.Coordinates.Length * s.CenteringVectors.Length);
            }
    }

    [Theory]
    [InlineData("Fd-3m", 227, 525)]
    [InlineData("F d -3 m", 227, 525)]
    [InlineData("Fd-3m:2", 227, 526)]
    [InlineData("-F 4vw 2vw 3", 227, 526)]
    [InlineData("P6_3/mmc", 194, 488)]
    [InlineData("R-3m", 166, 458)]
    [InlineData("R-3m:R", 166, 459)]
    [InlineData("225", 225, 523)]
    public void SymbolsResolveToSettings(string symbol, int number, int hall)
    {
        var s = SpaceGroupDatabase.FindBySymbol(symbol);
        Assert.NotNull(s);
        Assert.Equal(number, s.Number);
        Assert.Equal(hall, s.HallNumber);
    }

    [Fact]
    public void OperationsRoundTripThroughXyz()
    {
        foreach (var s in SpaceGroupDatabase.All)
            foreach (var op in s.Operations)
                Assert.Equal(op, SymmetryOperation.Parse(op.ToXyz()));
    }
}
