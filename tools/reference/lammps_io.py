"""LAMMPS data and dump files made by LAMMPS itself, and LAMMPS's verdict on a data file MDEngine wrote.

Part 1 (LAMMPS writes, MDEngine reads): a triclinic box (10.8 Å edges, tilts xy 3.6, xz 1.8, yz 1.8 Å: lattice
vectors of the crystal) holding 108 atoms of an fcc lattice of 3.6 Å, 30 % of them turned into Ni (type 2; type 1 is
Cu), displaced randomly by up to 0.1 Å and given velocities at 300 K. LAMMPS 2021 (Debian's lmp) writes it with
write_data in the atomic, charge (q = 0.5 on Cu, -0.5 on Ni) and full atom styles (lammps_atomic.data,
lammps_charge.data, lammps_full.data), and
runs 10 steps of fix nve (pair_style lj/cut 6.0, epsilon 0.4 eV, sigma 2.3 Å, shifted; units metal; dt 1 fs)
dumping every 5 steps:
  lammps_custom.lammpstrj  dump custom: id type element x y z vx vy vz fx fy fz (sorted by id)
  lammps_scaled.lammpstrj  dump custom: id type xs ys zs (no element column)
  lammps_custom.json       the potential energy (eV) of each dumped step
Part 2 (MDEngine writes, LAMMPS reads): mdengine_input.extxyz is the last dumped frame rotated by 40° about
(1, 2, 3) (written with ASE), so that MDEngine has to turn it into LAMMPS's orientation; MDEngine converts it to
mdengine_written.data (`mdengine convert`), LAMMPS reads that with read_data and records the energy and the forces
(in its own frame, by atom id) in mdengine_written_lammps.json.

Rerun from the repository root after `dotnet build MDEngine.sln`:
    /usr/bin/python3 tools/reference/lammps_io.py
It writes under tests/MDEngine.Tests/data/io/lammps/ (requires /usr/bin/lmp and Debian's python3-ase).
"""
import json
import os
import re
import subprocess
import tempfile

import numpy as np
from ase.io import read, write

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "MDEngine.Tests", "data", "io", "lammps")
CLI = os.path.join(ROOT, "src", "MDEngine.Cli", "bin", "Debug", "net10.0", "mdengine.dll")
PAIR = "pair_style lj/cut 6.0\npair_coeff * * 0.4 2.3\npair_modify shift yes\n"


def lammps(script, workdir):
    with open(os.path.join(workdir, "in.lmp"), "w") as f:
        f.write(script)
    subprocess.run(["lmp", "-in", "in.lmp", "-log", "log.lammps", "-screen", "none"], cwd=workdir, check=True,
                   env=dict(os.environ, OMP_NUM_THREADS="1"))
    with open(os.path.join(workdir, "log.lammps")) as f:
        return f.read()


def thermo_rows(log):
    rows = []
    for block in re.findall(r"\n\s*Step\s+PotEng\s*\n(.*?)\nLoop time", log, re.S):
        for line in block.strip().splitlines():
            step, pe = line.split()[:2]
            rows.append((int(step), float(pe)))
    return rows


def build(style):
    charge = "set type 1 charge 0.5\nset type 2 charge -0.5\n" if style != "atomic" else ""
    return f"""units metal
atom_style {style}
boundary p p p
lattice fcc 3.6
region box prism 0 10.8 0 10.8 0 10.8 3.6 1.8 1.8 units box
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.3 12345
displace_atoms all random 0.1 0.1 0.1 4242 units box
mass 1 63.546
mass 2 58.6934
{charge}velocity all create 300 4928459 mom yes rot no dist gaussian
{PAIR}"""


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for style in ("atomic", "charge", "full"):
            lammps(build(style) + f"write_data lammps_{style}.data\n", work)
            os.replace(os.path.join(work, f"lammps_{style}.data"), os.path.join(OUT, f"lammps_{style}.data"))
        log = lammps(build("atomic") + """thermo_style custom step pe
thermo_modify format float %.15g
thermo 5
dump d all custom 5 lammps_custom.lammpstrj id type element x y z vx vy vz fx fy fz
dump_modify d element Cu Ni sort id format float %.17g
dump s all custom 5 lammps_scaled.lammpstrj id type xs ys zs
dump_modify s sort id format float %.17g
fix f all nve
timestep 0.001
run 10
""", work)
        for name in ("lammps_custom.lammpstrj", "lammps_scaled.lammpstrj"):
            os.replace(os.path.join(work, name), os.path.join(OUT, name))
        energies = [{"step": s, "pe": e} for s, e in thermo_rows(log)]
        json.dump({"epsilon": 0.4, "sigma": 2.3, "cutoff": 6.0, "shift": True, "frames": energies},
                  open(os.path.join(OUT, "lammps_custom.json"), "w"), indent=1)

        # Part 2: a rotated copy of the last frame, converted by MDEngine, evaluated by LAMMPS.
        last = read(os.path.join(OUT, "lammps_custom.lammpstrj"), index=-1, format="lammps-dump-text")
        axis = np.array([1.0, 2.0, 3.0]) / np.sqrt(14.0)
        angle = np.radians(40.0)
        k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
        rotation = np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k
        last.set_cell(last.cell[:] @ rotation.T, scale_atoms=False)
        last.positions = last.positions @ rotation.T
        for key in list(last.arrays):
            if key not in ("numbers", "positions"):
                del last.arrays[key]
        last.calc = None
        extxyz = os.path.join(OUT, "mdengine_input.extxyz")
        write(extxyz, last, format="extxyz")
        written = os.path.join(OUT, "mdengine_written.data")
        subprocess.run(["dotnet", CLI, "convert", extxyz, written], check=True)
        log = lammps(f"""units metal
atom_style atomic
boundary p p p
read_data {written}
{PAIR}thermo_style custom step pe
thermo_modify format float %.15g
dump d all custom 1 forces.dump id fx fy fz
dump_modify d sort id format float %.17g
run 0
""", work)
        forces = np.loadtxt(os.path.join(work, "forces.dump"), skiprows=9)
        json.dump({"pe": thermo_rows(log)[0][1], "forces": forces[:, 1:].tolist()},
                  open(os.path.join(OUT, "mdengine_written_lammps.json"), "w"), indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
