"""ASE trajectory (.traj) reference files, both directions, with Debian's python3-ase (3.22).

ASE writes, MDEngine reads: three frames (fcc Cu4 rattled, with momenta, a calculator's energy, forces and stress,
tags, charges and info; the same with Ni in place of one Cu; a non-periodic H2O molecule with custom masses and no
results) go to ase_written.traj, and ase_written.extxyz holds the same frames; what ASE reads back from the .traj is
recorded in ase_written.json (numbers, positions, cell, pbc, masses, velocities in Å/fs, energy, forces, stress).
MDEngine writes, ASE reads: `mdengine convert ase_written.extxyz mdengine_written.traj`, and what ASE reads from that
file is recorded in mdengine_written_traj.json in the same layout.

Rerun from the repository root after `dotnet build MDEngine.sln`:
    /usr/bin/python3 tools/reference/ase_traj.py
It writes under tests/MDEngine.Tests/data/io/traj/.
"""
import json
import os
import subprocess

import numpy as np
from ase import Atoms, units
from ase.build import bulk, molecule
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import read, write

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "MDEngine.Tests", "data", "io", "traj")
CLI = os.path.join(ROOT, "src", "MDEngine.Cli", "bin", "Debug", "net10.0", "mdengine.dll")


def frames():
    rng = np.random.default_rng(7)
    a = bulk("Cu", "fcc", a=3.6, cubic=True)
    a.rattle(0.05, seed=3)
    a.set_momenta(rng.normal(size=(4, 3)))
    a.set_tags([0, 1, 2, 3])
    a.set_initial_charges([0.1, -0.1, 0.2, -0.2])
    a.info["source"] = "reference"
    a.info["step"] = 7
    a.calc = SinglePointCalculator(a, energy=-13.25, forces=rng.normal(size=(4, 3)), stress=rng.normal(size=6) * 0.01)
    b = a.copy()
    b.numbers[1] = 28
    b.positions[0] += 0.1
    b.calc = SinglePointCalculator(b, energy=-12.5, forces=rng.normal(size=(4, 3)), stress=rng.normal(size=6) * 0.01)
    c = molecule("H2O")
    c.set_masses([15.9, 1.1, 1.1])
    return [a, b, c]


def record(images):
    out = []
    for x in images:
        d = {"numbers": x.numbers.tolist(), "positions": x.positions.tolist(), "cell": x.cell[:].tolist(),
             "pbc": x.pbc.tolist(), "masses": x.get_masses().tolist(),
             "velocities_fs": (x.get_velocities() * units.fs).tolist()}
        if x.calc is not None:
            d["energy"] = x.get_potential_energy()
            d["forces"] = x.get_forces().tolist()
            d["stress"] = x.get_stress().tolist()
        out.append(d)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    images = frames()
    traj = os.path.join(OUT, "ase_written.traj")
    write(traj, images)
    write(os.path.join(OUT, "ase_written.extxyz"), images)
    json.dump(record(read(traj, ":")), open(os.path.join(OUT, "ase_written.json"), "w"), indent=1)
    mine = os.path.join(OUT, "mdengine_written.traj")
    subprocess.run(["dotnet", CLI, "convert", os.path.join(OUT, "ase_written.extxyz"), mine], check=True)
    json.dump(record(read(mine, ":")), open(os.path.join(OUT, "mdengine_written_traj.json"), "w"), indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
