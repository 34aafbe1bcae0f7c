#!/usr/bin/python3
"""Reference relaxations with ASE 3.22 for the optimizer tests.

Rerun from the repository root with the system Python that has ASE 3.22, spglib and scipy:

    /usr/bin/python3 tools/reference/ase_relax.py          # Lennard-Jones cases -> ase_relax_lj.json
    /usr/bin/python3 tools/reference/ase_relax.py --eam    # EAM cases (Cu_u3.eam, CuNi.eam.alloy) -> ase_relax_eam.json

Both files go to tests/MDEngine.Tests/data/optimize/. Every case starts from a structure built here
(positions, cell, pbc are recorded), is relaxed with ASE's FIRE, BFGS and LBFGS, on bare atoms and through a
Fréchet cell filter, and records the energy after each step (for step-by-step comparison), step and force-call
counts, the final energy, positions and cell.

The potential is ASE's LennardJones with smooth=False, i.e. pairs shifted to zero at rc (MDEngine's
LennardJones(shift: true)). ASE 3.22 has no FrechetCellFilter (it arrived in ASE 3.23); the filter below follows
the 3.23 definition: the cell degrees of freedom are exp_cell_factor * logm(F) with F the deformation gradient
(cell = cell0 F^T), and their forces are the UnitCellFilter cell gradient pulled back through the Fréchet
derivative of expm, divided by exp_cell_factor (default: number of atoms).
"""
import json
import os
import sys
from itertools import product

import numpy as np
from scipy.linalg import expm, expm_frechet, logm

import ase
from ase.build import bulk, fcc100
from ase.calculators.lj import LennardJones
from ase.constraints import FixAtoms, UnitCellFilter
from ase.optimize import BFGS, FIRE, LBFGS
from ase.spacegroup.symmetrize import FixSymmetry
from ase.stress import full_3x3_to_voigt_6_stress, voigt_6_to_full_3x3_stress

assert ase.__version__.startswith("3.22"), ase.__version__

EPSILON, SIGMA, RC = 0.4, 2.33, 6.0
FMAX = 0.05
GPA = 1.0 / 160.21766208  # eV/Å^3


class FrechetFilter(UnitCellFilter):
    """Cell filter with log-deformation cell coordinates, per ASE >= 3.23's FrechetCellFilter."""

    def __init__(self, atoms, mask=None, exp_cell_factor=None, hydrostatic_strain=False,
                 constant_volume=False, scalar_pressure=0.0):
        UnitCellFilter.__init__(self, atoms, mask=mask, hydrostatic_strain=hydrostatic_strain,
                                constant_volume=constant_volume, scalar_pressure=scalar_pressure)
        self.exp_cell_factor = float(len(atoms)) if exp_cell_factor is None else exp_cell_factor

    def get_positions(self):
        pos = UnitCellFilter.get_positions(self)
        n = len(self.atoms)
        pos[n:] = np.real(logm(self.deform_grad())) * self.exp_cell_factor
        return pos

    def set_positions(self, new, **kwargs):
        n = len(self.atoms)
        x = new.copy()
        x[n:] = expm(new[n:] / self.exp_cell_factor) * self.cell_factor
        UnitCellFilter.set_positions(self, x, **kwargs)

    def get_forces(self, **kwargs):
        stress = self.atoms.get_stress(**kwargs)
        volume = self.atoms.get_volume()
        virial = -volume * (voigt_6_to_full_3x3_stress(stress) + np.diag([self.scalar_pressure] * 3))
        F = self.deform_grad()
        U = np.real(logm(F))
        if self.hydrostatic_strain:
            virial = np.diag([virial.trace() / 3.0] * 3)
        if (self.mask != 1.0).any():
            virial *= self.mask
        grad_F = virial @ np.linalg.inv(F.T)
        grad_U = np.zeros((3, 3))
        for mu, nu in product(range(3), repeat=2):
            direction = np.zeros((3, 3))
            direction[mu, nu] = 1.0
            grad_U[mu, nu] = np.sum(expm_frechet(U, direction, compute_expm=False) * grad_F)
        if self.constant_volume:
            np.fill_diagonal(grad_U, np.diag(grad_U) - grad_U.trace() / 3.0)
        n = len(self.atoms)
        forces = np.zeros((n + 3, 3))
        forces[:n] = self.atoms.get_forces(**kwargs) @ F
        forces[n:] = grad_U / self.exp_cell_factor
        self.stress = full_3x3_to_voigt_6_stress(-virial / volume)
        return forces


POTENTIAL = "lj"
SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "potentials")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "MDEngine.Tests", "data", "optimize")


def calculator():
    if POTENTIAL == "lj":
        return LennardJones(epsilon=EPSILON, sigma=SIGMA, rc=RC, smooth=False)
    from ase.calculators.eam import EAM
    # ASE 3.22 reads a funcfl file without setting its element list; give it explicitly.
    elements = ["Cu"] if POTENTIAL.endswith(".eam") else None
    path = os.path.join(DATA, POTENTIAL)
    if not os.path.exists(path):
        path = os.path.join(SHIPPED, POTENTIAL)
    return EAM(potential=path, elements=elements) if elements else EAM(potential=path)


def vacancy(a=3.6):
    atoms = bulk("Cu", "fcc", a=a, cubic=True) * (2, 2, 2)
    del atoms[5]
    atoms.rattle(0.05, seed=1)
    return atoms


def random_alloy(host, a, numbers, shuffle_seed, rattle_seed):
    """A 2x2x2 cubic fcc cell of host with its 32 sites given the shuffled numbers, then rattled by 0.1 Å."""
    atoms = bulk(host, "fcc", a=a, cubic=True) * (2, 2, 2)
    numbers = np.array(numbers)
    np.random.RandomState(shuffle_seed).shuffle(numbers)
    atoms.numbers = numbers
    atoms.rattle(0.1, seed=rattle_seed)
    return atoms


def alloy():
    return random_alloy("Ag", 3.6, [47] * 16 + [79] * 16, shuffle_seed=7, rattle_seed=2)


def slab(a=3.6):
    atoms = fcc100("Cu", (2, 2, 4), a=a, vacuum=6.0)
    atoms.rattle(0.05, seed=3)
    return atoms


def strained(a=3.6):
    atoms = bulk("Cu", "fcc", a=a, cubic=True) * (2, 2, 2)
    strain = np.array([[1.03, 0.02, 0.0], [0.0, 0.98, 0.0], [0.0, 0.01, 1.01]])
    atoms.set_cell(atoms.cell[:] @ strain, scale_atoms=True)
    atoms.rattle(0.02, seed=4)
    return atoms


def hcp_strained():
    atoms = bulk("Cu", "hcp", a=2.62, c=4.6) * (2, 2, 2)
    return atoms


def record_structure(atoms):
    return {"numbers": atoms.numbers.tolist(), "positions": atoms.positions.tolist(),
            "cell": atoms.cell[:].tolist(), "pbc": atoms.pbc.tolist()}


def run_case(name, build, optimizer, cell, fixed=None, pressure_gpa=0.0, hydrostatic=False,
             constant_volume=False, symmetry=False, steps=400, fmax=FMAX, options=None):
    atoms = build()
    atoms.calc = calculator()
    constraints = []
    if fixed is not None:
        constraints.append(FixAtoms(indices=fixed(atoms)))
    symmetry_ops = None
    if symmetry:
        fs = FixSymmetry(atoms, symprec=1e-3)
        constraints.append(fs)
        symmetry_ops = {"rotations": fs.rotations.tolist(), "translations": fs.translations.tolist()}
    atoms.set_constraint(constraints)
    start = record_structure(atoms)
    target = FrechetFilter(atoms, scalar_pressure=pressure_gpa * GPA, hydrostatic_strain=hydrostatic,
                           constant_volume=constant_volume) if cell else atoms
    opt = {"FIRE": FIRE, "BFGS": BFGS, "LBFGS": LBFGS}[optimizer](target, logfile=None, **(options or {}))
    calls = {"n": 0}
    original = atoms.calc.calculate

    def counting(*args, **kwargs):
        calls["n"] += 1
        return original(*args, **kwargs)

    atoms.calc.calculate = counting
    energies, fmaxes = [], []

    def observe():
        energies.append(float(atoms.get_potential_energy()))
        f = target.get_forces()
        fmaxes.append(float(np.sqrt((f ** 2).sum(axis=1).max())))

    opt.attach(observe, interval=1)
    converged = bool(opt.run(fmax=fmax, steps=steps))
    result = {
        "name": name, "optimizer": optimizer, "cell": cell, "fmax": fmax, "max_steps": steps,
        "pressure_gpa": pressure_gpa, "options": options or {}, "hydrostatic": hydrostatic, "constant_volume": constant_volume,
        "fixed": [] if fixed is None else [int(i) for i in fixed(atoms)],
        "symmetry": symmetry_ops,
        "start": start, "converged": converged, "steps": int(opt.nsteps), "force_calls": calls["n"],
        "energies": energies, "fmaxes": fmaxes,
        "final_energy": float(atoms.get_potential_energy()),
        "final": record_structure(atoms),
    }
    print(f"{name:24s} {optimizer:6s} cell={cell!s:5s} steps={opt.nsteps:4d} calls={calls['n']:4d} "
          f"E={result['final_energy']:.8f} converged={converged}", file=sys.stderr)
    return result


def cu_ni():
    return random_alloy("Cu", 3.56, [28] * 16 + [29] * 16, shuffle_seed=8, rattle_seed=5)


def ag_au():
    return random_alloy("Ag", 4.08, [47] * 16 + [79] * 16, shuffle_seed=9, rattle_seed=6)


# The Lennard-Jones structures at copper's lattice constant for the EAM potentials.
def cu_vacancy():
    return vacancy(a=3.615)


def cu_slab():
    return slab(a=3.615)


def cu_strained():
    return strained(a=3.615)


def eam_cases():
    """EAM references, fixed cell only: ASE 3.22's EAM calculator has no stress. It interpolates the tabulated
    functions with scipy splines, MDEngine as LAMMPS does; for Cu_mishin1.eam.alloy both agree to 1e-13 eV/atom,
    for CuNi.eam.alloy energies agree to ~1e-6 eV/atom and forces to ~1e-2 eV/Å, so those trajectories separate.
    (funcfl files such as Cu_u3.eam are not used: ASE converts their effective charges with CODATA Hartree*Bohr,
    LAMMPS with 27.2*0.529, a 0.08% difference in the pair term.)"""
    global POTENTIAL
    cases = []
    bottom = lambda atoms: [a.index for a in atoms if a.tag == 4]
    POTENTIAL = "Cu_mishin1.eam.alloy"
    for optimizer in ("FIRE", "BFGS", "LBFGS"):
        cases.append(run_case("cu_vacancy", cu_vacancy, optimizer, cell=False))
    cases.append(run_case("cu_slab", cu_slab, "FIRE", cell=False, fixed=bottom))
    cases.append(run_case("cu_strained", cu_strained, "FIRE", cell=False))
    for c in cases:
        c["potential_file"] = POTENTIAL
    POTENTIAL = "CuNi.eam.alloy"
    alloy_cases = [run_case("cuni_alloy", cu_ni, optimizer, cell=False) for optimizer in ("FIRE", "BFGS", "LBFGS")]
    for c in alloy_cases:
        c["potential_file"] = POTENTIAL
    # A rattled Ag/Au crystal with the shipped Zhou (2004) alloy file.
    POTENTIAL = "CuAgAuNiPdPtAl_Zhou04.eam.alloy"
    agau_cases = [run_case("agau_alloy", ag_au, optimizer, cell=False) for optimizer in ("FIRE", "BFGS", "LBFGS")]
    for c in agau_cases:
        c["potential_file"] = POTENTIAL
        c["shipped"] = True
    return cases + alloy_cases + agau_cases


def main():
    if "--eam" in sys.argv:
        cases = eam_cases()
        with open(os.path.join(DATA, "ase_relax_eam.json"), "w") as fh:
            json.dump({"generator": "tools/reference/ase_relax.py --eam", "ase": ase.__version__, "cases": cases}, fh)
        return
    cases = []
    bottom = lambda atoms: [a.index for a in atoms if a.tag == 4]
    for optimizer in ("FIRE", "BFGS", "LBFGS"):
        cases.append(run_case("vacancy", vacancy, optimizer, cell=False))
        cases.append(run_case("vacancy", vacancy, optimizer, cell=True))
        cases.append(run_case("alloy", alloy, optimizer, cell=False))
        cases.append(run_case("alloy", alloy, optimizer, cell=True))
        cases.append(run_case("slab", slab, optimizer, cell=False, fixed=bottom))
        cases.append(run_case("strained", strained, optimizer, cell=True))
    cases.append(run_case("strained_1GPa_hydrostatic", strained, "FIRE", cell=True, pressure_gpa=1.0, hydrostatic=True))
    cases.append(run_case("strained_constant_volume", strained, "FIRE", cell=True, constant_volume=True))
    cases.append(run_case("hcp_symmetry", hcp_strained, "FIRE", cell=True, symmetry=True))
    cases.append(run_case("hcp_symmetry", hcp_strained, "BFGS", cell=True, symmetry=True))
    cases.append(run_case("alloy_downhill", alloy, "FIRE", cell=False, options={"downhill_check": True, "dtmax": 2.0, "maxstep": 0.4}))
    # Tight minima, the reference for optimizers ASE 3.22 lacks (FIRE 2.0) or that search lines differently.
    cases.append(run_case("vacancy_tight", vacancy, "BFGS", cell=False, fmax=1e-4))
    cases.append(run_case("strained_tight", strained, "BFGS", cell=True, fmax=1e-4))
    out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "MDEngine.Tests", "data", "optimize", "ase_relax_lj.json")
    with open(out, "w") as fh:
        json.dump({"generator": "tools/reference/ase_relax.py", "ase": ase.__version__,
                   "potential": {"kind": "lj", "epsilon": EPSILON, "sigma": SIGMA, "rc": RC, "shifted": True},
                   "cases": cases}, fh)


if __name__ == "__main__":
    main()
