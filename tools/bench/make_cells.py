#!/usr/bin/python3
"""Rattled small metal cells for campaign benchmarks and the Slurm test.

    /usr/bin/python3 tools/bench/make_cells.py N OUTDIR [--chunk 100] [--seed 0] [--silicon]

Writes N cells of 2-32 atoms: fcc, bcc or hcp lattices of Cu, Ag, Au, Ni, Pd, Pt or Al (the elements of the shipped
potentials/CuAgAuNiPdPtAl_Zhou04.eam.alloy), the lattice constant from the element's fcc nearest-neighbour distance
strained by up to +-3 %, positions rattled by 0.05 A (Gaussian). Frames go to extended XYZ files of --chunk frames
each (cells_00000.extxyz, ...), so a campaign reads them a chunk at a time. Deterministic for a given seed: the
first N cells of a larger set are the set of N. --silicon makes diamond Si cells instead (2-32 atoms, a = 5.43 A
strained and rattled the same way), the elements of the small MACE test model.
"""
import argparse
import os

import numpy as np
from ase.build import bulk
from ase.io import write

# fcc lattice constants (A) of the Zhou 2004 EAM elements
FCC_A = {"Cu": 3.615, "Ag": 4.086, "Au": 4.078, "Ni": 3.524, "Pd": 3.89, "Pt": 3.924, "Al": 4.05}


def silicon(rng):
    atoms = bulk("Si", "diamond", a=5.43 * (1 + rng.uniform(-0.03, 0.03)), cubic=rng.random() < 0.5)
    return rattled(atoms, rng)


def rattled(atoms, rng):
    while True:
        reps = rng.integers(1, 4, size=3)
        n = len(atoms) * int(np.prod(reps))
        if 2 <= n <= 32:
            break
    atoms = atoms.repeat(tuple(int(r) for r in reps))
    atoms.positions += rng.normal(0, 0.05, atoms.positions.shape)
    return atoms


def cell(rng):
    symbol = rng.choice(sorted(FCC_A))
    d = FCC_A[symbol] / np.sqrt(2) * (1 + rng.uniform(-0.03, 0.03))
    lattice = rng.choice(["fcc", "bcc", "hcp"])
    if lattice == "fcc":
        cubic = rng.random() < 0.5
        atoms = bulk(symbol, "fcc", a=d * np.sqrt(2), cubic=cubic)
    elif lattice == "bcc":
        atoms = bulk(symbol, "bcc", a=2 * d / np.sqrt(3), cubic=True)
    else:
        atoms = bulk(symbol, "hcp", a=d, c=d * np.sqrt(8 / 3))
    return rattled(atoms, rng)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("count", type=int)
    p.add_argument("outdir")
    p.add_argument("--chunk", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--silicon", action="store_true")
    a = p.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    make = silicon if a.silicon else cell
    frames = [make(rng) for _ in range(a.count)]
    for k in range(0, a.count, a.chunk):
        write(os.path.join(a.outdir, f"cells_{k // a.chunk:05d}.extxyz"), frames[k:k + a.chunk], format="extxyz")
    atoms = sum(len(f) for f in frames)
    print(f"{a.count} cells, {atoms} atoms ({atoms / a.count:.1f} per cell) in {a.outdir}")


if __name__ == "__main__":
    main()
