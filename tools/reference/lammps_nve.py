"""Reference NVE trajectory from LAMMPS (fix nve) for MDEngine's velocity Verlet.

Builds a 3x3x3 fcc argon crystal (108 atoms, a = 5.26 Å) with random displacements of up to 0.1 Å and
Maxwell-Boltzmann velocities at 60 K (numpy seed 20240601), writes a LAMMPS data file, runs 100 steps of
`fix nve` with pair_style lj/cut (epsilon 0.0104 eV, sigma 3.40 Å, cutoff 8.0 Å, units metal, dt 1 fs),
and stores the initial state and the unwrapped positions and velocities after 100 steps as JSON.

A second reference does the same for copper with the EAM potential Cu_u3.eam (pair_style eam, the copy committed
under tests/MDEngine.Tests/data/potentials/lammps): 3x3x3 fcc Cu (108 atoms, a = 3.615 Å), displacements up to
0.05 Å, velocities at 600 K, 100 steps of 1 fs. The mass is the file's 63.55 amu, which pair_coeff imposes.

Rerun from the repository root:
    /usr/bin/python3 tools/reference/lammps_nve.py
It writes tests/MDEngine.Tests/data/dynamics/lammps_nve_lj.json and lammps_nve_eam_cu.json (requires /usr/bin/lmp).
"""
import json
import os
import subprocess
import tempfile

import numpy as np

EPS, SIGMA, CUTOFF, DT, STEPS = 0.0104, 3.40, 8.0, 1.0, 100
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "tests", "MDEngine.Tests", "data")
EAM_FILE = os.path.join(DATA, "potentials", "lammps", "Cu_u3.eam")


def build(A0, MASS, displacement, temperature, seed):
    rng = np.random.default_rng(seed)
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    cells = np.array([[i, j, k] for i in range(3) for j in range(3) for k in range(3)])
    frac = (cells[:, None, :] + basis[None, :, :]).reshape(-1, 3)
    pos = frac * A0 + rng.uniform(-displacement, displacement, size=(len(frac), 3))
    kT = 8.617333262e-5 * temperature
    # velocities in Å/fs: sqrt(kT/m) with eV/amu = 9.64853321e-3 Å²/fs²
    v = rng.normal(size=pos.shape) * np.sqrt(kT / MASS * 9.64853321e-3)
    v -= v.mean(axis=0)
    return pos, v, 3 * A0


def run(name, A0, MASS, displacement, temperature, seed, pair_lines, extra):
    pos, vel, length = build(A0, MASS, displacement, temperature, seed)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.lmp")
        with open(data, "w") as f:
            f.write("argon\n\n%d atoms\n1 atom types\n\n" % len(pos))
            f.write("0.0 %.17g xlo xhi\n0.0 %.17g ylo yhi\n0.0 %.17g zlo zhi\n\n" % (length, length, length))
            f.write("Masses\n\n1 %.17g\n\nAtoms # atomic\n\n" % MASS)
            for i, p in enumerate(pos):
                f.write("%d 1 %.17g %.17g %.17g\n" % (i + 1, *p))
            f.write("\nVelocities\n\n")
            for i, u in enumerate(vel):
                # metal units: Å/ps
                f.write("%d %.17g %.17g %.17g\n" % (i + 1, *(u * 1000.0)))
        inp = os.path.join(tmp, "in.lmp")
        with open(inp, "w") as f:
            f.write(f"""units metal
atom_style atomic
boundary p p p
read_data {data}
{pair_lines}
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
timestep {DT / 1000.0}
fix 1 all nve
thermo 100
thermo_style custom step pe ke etotal
thermo_modify format float %.15g
dump 1 all custom {STEPS} {tmp}/dump.txt id xu yu zu vx vy vz
dump_modify 1 sort id format float %.17g
run {STEPS}
""")
        log = subprocess.run(["/usr/bin/lmp", "-in", inp, "-log", os.path.join(tmp, "log.lammps"), "-screen", "none"],
                             check=True, capture_output=True, text=True)
        with open(os.path.join(tmp, "dump.txt")) as f:
            lines = f.read().splitlines()
        # The last frame: after "ITEM: ATOMS" at timestep STEPS.
        start = max(i for i, l in enumerate(lines) if l.startswith("ITEM: ATOMS")) + 1
        final = np.array([[float(x) for x in l.split()[1:]] for l in lines[start:start + len(pos)]])
        with open(os.path.join(tmp, "log.lammps")) as f:
            thermo = [l.split() for l in f.read().splitlines()]
        rows = [t for t in thermo if len(t) == 4 and t[0].isdigit()]
    ref = {
        "description": "LAMMPS fix nve, units metal; positions Å (unwrapped), velocities Å/fs",
        "mass": MASS, "timestep_fs": DT, "steps": STEPS, **extra,
        "cell": [[length, 0, 0], [0, length, 0], [0, 0, length]],
        "positions": pos.tolist(), "velocities": vel.tolist(),
        "final_positions": final[:, :3].tolist(), "final_velocities": (final[:, 3:] / 1000.0).tolist(),
        "thermo": [{"step": int(r[0]), "pe": float(r[1]), "ke": float(r[2]), "etotal": float(r[3])} for r in rows],
    }
    out = os.path.join(DATA, "dynamics", name)
    with open(out, "w") as f:
        json.dump(ref, f, indent=1)
    print("wrote", os.path.normpath(out), rows)


def main():
    run("lammps_nve_lj.json", 5.26, 39.948, 0.1, 60.0, 20240601,
        f"pair_style lj/cut {CUTOFF}\npair_coeff 1 1 {EPS} {SIGMA}",
        {"potential": "lj", "epsilon": EPS, "sigma": SIGMA, "cutoff": CUTOFF, "z": 18})
    run("lammps_nve_eam_cu.json", 3.615, 63.55, 0.05, 600.0, 20240602,
        f"pair_style eam\npair_coeff 1 1 {EAM_FILE}",
        {"potential": "eam", "file": "potentials/lammps/Cu_u3.eam", "z": 29})


if __name__ == "__main__":
    main()
