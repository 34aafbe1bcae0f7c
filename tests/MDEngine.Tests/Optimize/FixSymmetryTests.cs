using MDEngine.Geometry;
using MDEngine.Optimize;
using MDEngine.Optimize.Constraints;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Tests.Optimize;

/// <summary>FixSymmetry with hand-given operations: the 192 operations of fcc in its conventional cubic cell
/// (the 48 signed permutation matrices of m-3m times the 4 centring translations).</summary>
public class FixSymmetryTests
{
    internal static IEnumerable<SymmetryOperation> FccOperations()
    {
        int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        Vec3[] centring = [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0)];
        foreach (var p in permutations)
            for (int signs = 0; signs < 8; signs++)
            {
                var r = new int[9];
                for (int i = 0; i < 3; i++) r[3 * i + p[i]] = ((signs >> i) & 1) == 1 ? -1 : 1;
                foreach (var t in centring) yield return new SymmetryOperation(IntMat3.FromArray(r), t);
            }
    }

    private static Structure Fcc(double a) => Structure.FromFractional([29, 29, 29, 29],
        [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0)], Cell.Cubic(a));

    [Fact]
    public void Forces_and_stress_are_averaged_over_the_group()
    {
        var s = Fcc(3.6);
        var constraint = new FixSymmetry(s, FccOperations());
        var rng = new Random(1);
        var forces = Enumerable.Range(0, 4).Select(_ => new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        constraint.AdjustForces(s, forces);
        // Every fcc site has full m-3m site symmetry: no symmetric vector survives.
        Assert.All(forces, f => Assert.True(f.Length < 1e-15));

        var stress = new Mat3(1.0, 0.3, -0.2, 0.3, 2.0, 0.1, -0.2, 0.1, -0.5);
        constraint.AdjustStress(s, ref stress);
        // A cubic group leaves only the isotropic part.
        Assert.True((stress - Mat3.Diagonal(2.5 / 3, 2.5 / 3, 2.5 / 3)).MaxAbs() < 1e-14);
    }

    [Fact]
    public void Vectors_keep_the_symmetry_of_a_lower_symmetry_subgroup()
    {
        // With only the operations fixing the z axis (4/mmm-like subset), a z-force on every atom survives.
        var s = Fcc(3.6);
        var tetragonal = FccOperations().Where(op => op.Rotation[2, 2] == 1).ToArray();
        var constraint = new FixSymmetry(s, tetragonal);
        var forces = new[] { new Vec3(0.1, 0.2, 1.0), new Vec3(-0.3, 0.0, 1.0), new Vec3(0.0, 0.4, 1.0), new Vec3(0.2, 0.1, 1.0) };
        constraint.AdjustForces(s, forces);
        Assert.All(forces, f => { Assert.Equal(0, f.X, 1e-15); Assert.Equal(0, f.Y, 1e-15); Assert.Equal(1.0, f.Z, 1e-15); });
    }

    [Fact]
    public void Operations_that_do_not_belong_to_the_structure_are_refused()
    {
        var s = Fcc(3.6);
        s.SetPositions(s.Positions.Select((p, i) => i == 1 ? p + new Vec3(0.1, 0, 0) : p).ToArray());
        var e = Assert.Throws<ArgumentException>(() => new FixSymmetry(s, FccOperations()));
        Assert.Contains("do not belong", e.Message);
    }

    [Fact]
    public void Relaxing_a_compressed_cubic_cell_keeps_it_cubic_and_fcc()
    {
        var s = Fcc(3.4);
        // Break nothing but test the constraint: a rattle would be refused, so push with an anisotropic start
        // strain in the optimizer's first move by relaxing under a filter whose forces are symmetrized.
        var potential = AseReference.Potential;
        var target = new FrechetCellFilter(s, [new FixSymmetry(s, FccOperations())]);
        var result = new Relaxation(target, new Bfgs(), new BoundPotential(potential), new RelaxOptions { Fmax = 1e-5 }).Run();
        Assert.True(result.Converged);
        var p = result.Structure.Cell.Parameters();
        Assert.Equal(p.A, p.B, 1e-10);
        Assert.Equal(p.A, p.C, 1e-10);
        Assert.Equal(90, p.Alpha, 1e-9); Assert.Equal(90, p.Beta, 1e-9); Assert.Equal(90, p.Gamma, 1e-9);
        var fractional = result.Structure.FractionalPositions();
        Vec3[] sites = [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0)];
        for (int i = 0; i < 4; i++) Assert.True((fractional[i] - sites[i]).Length < 1e-10);
        // And the lattice constant is the minimum of the energy-volume curve of this potential.
        Assert.Equal(LatticeScan.Minimum(a => potential.Compute(Fcc(a), MDEngine.Neighbors.NeighborListBuilder.Build(Fcc(a), potential.Cutoff, false), Quantities.Energy).Energy, 3.4, 3.8),
            p.A, 1e-5);
    }
}

public class FixSymmetryRefineTests
{
    [Fact]
    public void Refine_removes_noise_from_positions_and_cell()
    {
        var s = Structure.FromFractional([29, 29, 29, 29],
            [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0)], Cell.Cubic(3.6));
        var rng = new Random(4);
        s.SetPositions(s.Positions.Select(p => p + 2e-4 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray());
        s.Cell = new Cell(new Mat3(3.6002, 0.0001, 0, 0, 3.5999, -0.0002, 0.0001, 0, 3.6001));
        var constraint = new FixSymmetry(s, FixSymmetryTests.FccOperations(), tolerance: 1e-2);
        constraint.Refine(s);
        var p = s.Cell.Parameters();
        Assert.Equal(p.A, p.B, 1e-12);
        Assert.Equal(p.A, p.C, 1e-12);
        Assert.Equal(90, p.Alpha, 1e-10); Assert.Equal(90, p.Beta, 1e-10); Assert.Equal(90, p.Gamma, 1e-10);
        // The refined structure is symmetric to round-off: a strict FixSymmetry accepts it.
        _ = new FixSymmetry(s, FixSymmetryTests.FccOperations(), tolerance: 1e-10);
    }
}
