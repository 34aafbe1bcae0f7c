using MDEngine.Neighbors;
using MDEngine.Potentials;

namespace MDEngine.Tests.Potentials;

/// <summary>Energies, forces, per-atom energies and stresses agree with LAMMPS (units metal, run 0) for every
/// classical potential and file format, on rattled, strained, defective, surface, alloy and triclinic cells.</summary>
public class LammpsAgreementTests
{
    private const double EnergyRelative = 1e-9, ForceAbsolute = 1e-8, StressAbsolute = 1e-9, AtomEnergyAbsolute = 1e-8;

    public static IEnumerable<object[]> Eam => LammpsCase.Names("eam_");
    public static IEnumerable<object[]> Pair => LammpsCase.Names("lj_").Concat(LammpsCase.Names("morse_"));
    public static IEnumerable<object[]> ThreeBody => LammpsCase.Names("sw_").Concat(LammpsCase.Names("tersoff_"));
    public static IEnumerable<object[]> Shipped => LammpsCase.Names("shipped_");

    [Theory, MemberData(nameof(Eam))] public void EamMatchesLammps(string name) => Check(name);
    [Theory, MemberData(nameof(Pair))] public void PairPotentialsMatchLammps(string name) => Check(name);
    [Theory, MemberData(nameof(ThreeBody))] public void ThreeBodyPotentialsMatchLammps(string name) => Check(name);
    [Theory, MemberData(nameof(Shipped))] public void ShippedPotentialsMatchLammps(string name) => Check(name);

    private static void Check(string name)
    {
        var c = LammpsCase.Get(name);
        var potential = c.CreatePotential();
        foreach (bool full in new[] { potential.NeedsFullNeighborList, true })
        {
            // Half and full lists, and a list with a skin, must all give LAMMPS's numbers.
            var list = NeighborListBuilder.Build(c.Structure, potential.Cutoff + (full ? 0.7 : 0.0), full);
            var r = potential.Compute(c.Structure, list, Quantities.All | Quantities.AtomEnergies);
            Assert.True(Math.Abs(r.Energy - c.Energy) <= EnergyRelative * Math.Abs(c.Energy),
                $"{name}: energy {r.Energy:R} vs LAMMPS {c.Energy:R} (full list {full})");
            double maxForce = 0;
            for (int i = 0; i < c.Forces.Length; i++) maxForce = Math.Max(maxForce, (r.Forces![i] - c.Forces[i]).Length);
            Assert.True(maxForce <= ForceAbsolute, $"{name}: forces differ by up to {maxForce:E2} eV/Å (full list {full})");
            double stress = (r.Stress!.Value - c.Stress).MaxAbs();
            Assert.True(stress <= StressAbsolute, $"{name}: stress differs by {stress:E2} eV/Å³ (full list {full})");
            double atom = c.AtomEnergies.Select((e, i) => Math.Abs(e - r.AtomEnergies![i])).Max();
            Assert.True(atom <= AtomEnergyAbsolute, $"{name}: per-atom energies differ by up to {atom:E2} eV (full list {full})");
        }
    }
}
