"""Reference neighbor lists from ASE for the neighbor-list tests.

For a set of structures (bulk, primitive cells thinner than the cutoff, skewed triclinic cells, slab, wire,
molecule, atoms outside the cell, mixed periodicity) this writes ASE's full neighbor list
``ase.neighborlist.neighbor_list('ijSd', atoms, cutoff, self_interaction=False)`` together with the structure.

Rerun (from the repository root, with the system Python that has ASE 3.22):

    /usr/bin/python3 tools/reference/neighbors_ase.py > tests/MDEngine.Tests/data/neighbors/ase_neighbors.json
"""
import json
import sys

import ase
import numpy as np
from ase.build import bulk, fcc111, molecule
from ase.neighborlist import neighbor_list


def cases():
    rng = np.random.default_rng(2026)

    yield "fcc Cu conventional 2x2x2", bulk("Cu", "fcc", a=3.615, cubic=True).repeat(2), 5.0

    yield "fcc Cu primitive (cell thinner than cutoff)", bulk("Cu", "fcc", a=3.615), 6.0

    hcp = bulk("Mg", "hcp", a=3.21, c=5.21).repeat((2, 2, 1))
    hcp.rattle(0.05, seed=1)
    yield "hcp Mg rattled", hcp, 4.5

    cell = [[4.0, 0.0, 0.0], [3.1, 3.5, 0.0], [-2.2, 1.7, 3.8]]
    frac = rng.uniform(-0.7, 1.7, size=(6, 3))
    yield "triclinic, atoms outside the cell", ase.Atoms("Si6", scaled_positions=frac, cell=cell, pbc=True), 3.7

    cell = [[3.0, 0.0, 0.0], [8.0, 2.5, 0.0], [5.0, -6.0, 3.0]]
    frac = rng.uniform(0, 1, size=(4, 3))
    yield "strongly skewed", ase.Atoms("C4", scaled_positions=frac, cell=cell, pbc=True), 4.0

    cell = [[1.1, 0.0, 0.0], [0.4, 1.3, 0.0], [0.2, 0.3, 1.0]]
    frac = rng.uniform(0, 1, size=(2, 3))
    yield "very thin cell, many images", ase.Atoms("H2", scaled_positions=frac, cell=cell, pbc=True), 3.0

    slab = fcc111("Al", size=(2, 2, 3), vacuum=5.0)
    yield "fcc(111) slab, pbc T T F", slab, 4.0

    wire = ase.Atoms("C3", positions=[[0.0, 0.0, 0.0], [0.3, 1.2, 0.9], [-0.8, 0.1, 1.7]],
                     cell=[[0, 0, 0], [0, 0, 0], [0, 0, 2.6]], pbc=[False, False, True])
    yield "wire with empty a and b, pbc F F T", wire, 3.2

    yield "benzene molecule, no cell", molecule("C6H6"), 2.5

    cell = [[5.0, 0.0, 0.0], [1.0, 4.0, 0.0], [0.5, -1.0, 3.5]]
    frac = rng.uniform(-1.5, 2.5, size=(7, 3))
    yield "mixed pbc T F T, atoms outside", ase.Atoms("N7", scaled_positions=frac, cell=cell, pbc=[True, False, True]), 3.3

    cell = [[4.2, 0.0, 0.0], [0.0, 3.9, 0.0], [0.0, 0.0, 0.0]]
    pos = rng.uniform(-2, 6, size=(5, 3))
    yield "slab with empty c, pbc T T F", ase.Atoms("O5", positions=pos, cell=cell, pbc=[True, True, False]), 3.0


def main():
    out = []
    for name, atoms, cutoff in cases():
        i, j, S, d = neighbor_list("ijSd", atoms, cutoff, self_interaction=False)
        out.append({
            "name": name,
            "numbers": atoms.numbers.tolist(),
            "positions": atoms.positions.tolist(),
            "cell": atoms.cell.array.tolist(),
            "pbc": [bool(p) for p in atoms.pbc],
            "cutoff": cutoff,
            "i": i.tolist(),
            "j": j.tolist(),
            "S": S.tolist(),
            "d": d.tolist(),
        })
    json.dump({"generator": f"ase {ase.__version__} neighbor_list('ijSd', self_interaction=False)", "cases": out},
              sys.stdout, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
