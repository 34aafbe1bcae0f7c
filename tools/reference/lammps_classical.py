#!/usr/bin/python3
"""Reference energies, forces, per-atom energies and stresses of classical potentials from LAMMPS.

For every case below this script writes a LAMMPS data file, runs `lmp` (units metal, `run 0`) with
`compute pe/atom` and `compute pressure NULL virial` (no kinetic term), reads energies and pressures printed with
%.17g and forces dumped with %.17g, and stores them in
tests/MDEngine.Tests/data/potentials/lammps_reference.json. The C# tests read only that JSON.

Conventions of the stored data:
  * structures are generated directly in LAMMPS's orientation (cell rows a = (lx,0,0), b = (xy,ly,0),
    c = (xz,yz,lz)), so positions, forces and stress need no rotation;
  * stress is in eV/A^3 with ASE's sign: stress = -pressure_tensor / nktv2p, where nktv2p = 1.6021765e6 bar per
    eV/A^3 is LAMMPS's own constant for units metal (using it keeps the conversion exact to LAMMPS's digits);
  * potential files are referred to relative to tests/MDEngine.Tests/data/potentials/ ("lammps/...", copies of
    LAMMPS's files), or by name for the files shipped in potentials/ (kind "shipped"; run
    tools/potentials/generate.py first).

Rerun (from the repository root, with LAMMPS installed as /usr/bin/lmp):
    /usr/bin/python3 tools/reference/lammps_classical.py
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "tests", "MDEngine.Tests", "data", "potentials")
LMP = os.environ.get("LMP", "/usr/bin/lmp")
NKTV2P = 1.6021765e6  # LAMMPS force.cpp, units metal: bar per eV/A^3

MASSES = {"H": 1.008, "C": 12.011, "Si": 28.085, "Fe": 55.845, "Ni": 58.693, "Cu": 63.546, "Zr": 91.224,
          "Ag": 107.8682, "Au": 196.966569, "Al": 26.9815385, "Pd": 106.42, "Pt": 195.084, "Ar": 39.948}
Z = {"H": 1, "C": 6, "Al": 13, "Si": 14, "Ar": 18, "Fe": 26, "Ni": 28, "Cu": 29, "Zr": 40, "Pd": 46, "Ag": 47,
     "Pt": 78, "Au": 79}


# ---------------------------------------------------------------- structures (already in LAMMPS orientation)

def lattice(kind, a, reps, symbols):
    """Conventional cubic cell of fcc, bcc or diamond repeated reps times; symbols cycles over the sites."""
    basis = {
        "fcc": [(0, 0, 0), (0, .5, .5), (.5, 0, .5), (.5, .5, 0)],
        "bcc": [(0, 0, 0), (.5, .5, .5)],
        "diamond": [(0, 0, 0), (0, .5, .5), (.5, 0, .5), (.5, .5, 0),
                    (.25, .25, .25), (.25, .75, .75), (.75, .25, .75), (.75, .75, .25)],
    }[kind]
    pos, sym = [], []
    n = 0
    for i in range(reps[0]):
        for j in range(reps[1]):
            for k in range(reps[2]):
                for b in basis:
                    pos.append([(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a])
                    sym.append(symbols[n % len(symbols)])
                    n += 1
    cell = np.diag([reps[0] * a, reps[1] * a, reps[2] * a])
    return np.array(pos), sym, cell


def rattle(pos, amount, seed):
    rng = np.random.RandomState(seed)
    return pos + rng.uniform(-amount, amount, pos.shape)


def strain(pos, cell, eps):
    """Applies x -> x (I + eps) to cell rows and positions (eps lower triangular keeps LAMMPS orientation)."""
    m = np.eye(3) + np.array(eps)
    return pos @ m, cell @ m


def shuffle_species(sym, choices, seed):
    rng = np.random.RandomState(seed)
    return [choices[rng.randint(len(choices))] for _ in sym]


def triclinic_primitive_fcc(a, reps, symbol):
    """fcc primitive cell, reduced to LAMMPS's lower-triangular form, repeated."""
    prim = 0.5 * a * np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=float)
    lx = np.linalg.norm(prim[0])
    ahat = prim[0] / lx
    xy = prim[1] @ ahat
    ly = np.linalg.norm(np.cross(ahat, prim[1]))
    xz = prim[2] @ ahat
    bhat = np.cross(np.cross(ahat, prim[1]) / ly, ahat)
    yz = prim[2] @ bhat
    lz = np.sqrt(prim[2] @ prim[2] - xz * xz - yz * yz)
    cell1 = np.array([[lx, 0, 0], [xy, ly, 0], [xz, yz, lz]])
    pos, sym = [], []
    for i in range(reps[0]):
        for j in range(reps[1]):
            for k in range(reps[2]):
                pos.append(i * cell1[0] + j * cell1[1] + k * cell1[2])
                sym.append(symbol)
    cell = cell1 * np.array(reps)[:, None]
    return np.array(pos), sym, cell


def wrap(pos, cell):
    frac = pos @ np.linalg.inv(cell)
    frac -= np.floor(frac)
    frac[frac >= 1.0] = 0.0
    return frac @ cell


def slab(pos, sym, cell, vacuum):
    """Adds vacuum along z (the structure stays periodic; the surfaces face the gap)."""
    cell = cell.copy()
    cell[2, 2] += vacuum
    return pos, sym, cell


def remove(pos, sym, indices):
    keep = [i for i in range(len(sym)) if i not in indices]
    return pos[keep], [sym[i] for i in keep]


# ---------------------------------------------------------------- LAMMPS driver

def run_lammps(pos, sym, cell, types, pair_lines, workdir):
    data = os.path.join(workdir, "data.lmp")
    with open(data, "w") as f:
        f.write("reference structure\n\n%d atoms\n%d atom types\n\n" % (len(sym), len(types)))
        f.write("0 %.17g xlo xhi\n0 %.17g ylo yhi\n0 %.17g zlo zhi\n" % (cell[0, 0], cell[1, 1], cell[2, 2]))
        f.write("%.17g %.17g %.17g xy xz yz\n\nMasses\n\n" % (cell[1, 0], cell[2, 0], cell[2, 1]))
        for t, s in enumerate(types):
            f.write("%d %.17g\n" % (t + 1, MASSES[s]))
        f.write("\nAtoms # atomic\n\n")
        for i, (p, s) in enumerate(zip(pos, sym)):
            f.write("%d %d %.17g %.17g %.17g\n" % (i + 1, types.index(s) + 1, p[0], p[1], p[2]))
    script = os.path.join(workdir, "in.lmp")
    with open(script, "w") as f:
        f.write("units metal\natom_style atomic\nboundary p p p\nbox tilt large\n")
        f.write("read_data %s\n" % data)
        for line in pair_lines:
            f.write(line + "\n")
        f.write("neighbor 1.0 bin\n")
        f.write("compute peratom all pe/atom\ncompute virial all pressure NULL virial\n")
        f.write("thermo_style custom step pe c_virial[1] c_virial[2] c_virial[3] c_virial[4] c_virial[5] c_virial[6]\n")
        f.write("thermo_modify format float %.17g norm no\n")
        f.write("dump forces all custom 1 %s/forces.dump id fx fy fz c_peratom\n" % workdir)
        f.write("dump_modify forces sort id format float %.17g\n")
        f.write("run 0\n")
    out = subprocess.run([LMP, "-in", script, "-log", os.path.join(workdir, "log.lammps"), "-screen", "none"],
                         cwd=workdir, capture_output=True, text=True)
    log = open(os.path.join(workdir, "log.lammps")).read()
    if out.returncode != 0:
        sys.exit("LAMMPS failed:\n" + log[-3000:] + out.stderr)
    lines = log.splitlines()
    k = next(i for i, l in enumerate(lines) if l.split()[:2] == ["Step", "PotEng"])
    values = [float(v) for v in lines[k + 1].split()]
    energy = values[1]
    pxx, pyy, pzz, pxy, pxz, pyz = values[2:8]
    stress = -np.array([[pxx, pxy, pxz], [pxy, pyy, pyz], [pxz, pyz, pzz]]) / NKTV2P
    dump = open(os.path.join(workdir, "forces.dump")).read().splitlines()
    start = next(i for i, l in enumerate(dump) if l.startswith("ITEM: ATOMS")) + 1
    rows = [[float(v) for v in l.split()] for l in dump[start:start + len(sym)]]
    forces = [r[1:4] for r in rows]
    atom_energies = [r[4] for r in rows]
    return energy, forces, stress.tolist(), atom_energies


# ---------------------------------------------------------------- cases

def eam_cases():
    cases = []
    cu = "lammps/Cu_u3.eam"
    p, s, c = lattice("fcc", 3.615, (3, 3, 3), ["Cu"])
    p, c = strain(rattle(p, 0.08, 1), c, [[0.01, 0, 0], [0.02, -0.015, 0], [0.0, 0.01, 0.005]])
    cases.append(("eam_funcfl_cu_rattled", p, s, c, {"kind": "eam", "files": [cu]}, ["Cu"],
                  ["pair_style eam", "pair_coeff 1 1 %s" % cu]))
    p, s, c = lattice("fcc", 3.615, (3, 3, 2), ["Cu"])
    p, s = remove(p, s, [0, 17])
    p, s, c = slab(rattle(p, 0.05, 2), s, c, 8.0)
    cases.append(("eam_funcfl_cu_vacancies_surface", p, s, c, {"kind": "eam", "files": [cu]}, ["Cu"],
                  ["pair_style eam", "pair_coeff 1 1 %s" % cu]))
    p, s, c = triclinic_primitive_fcc(3.615, (3, 3, 3), "Cu")
    p = rattle(p, 0.1, 3)
    cases.append(("eam_funcfl_cu_triclinic", p, s, c, {"kind": "eam", "files": [cu]}, ["Cu"],
                  ["pair_style eam", "pair_coeff 1 1 %s" % cu]))
    # Strong compression drives densities beyond the F(rho) table: LAMMPS's linear extrapolation.
    p, s, c = lattice("fcc", 2.75, (2, 2, 2), ["Cu"])
    p = rattle(p, 0.05, 4)
    cases.append(("eam_funcfl_cu_compressed", p, s, c, {"kind": "eam", "files": [cu]}, ["Cu"],
                  ["pair_style eam", "pair_coeff 1 1 %s" % cu]))
    ni = "lammps/Ni_u3.eam"
    p, s, c = lattice("fcc", 3.58, (3, 3, 3), ["Cu"])
    s = shuffle_species(s, ["Cu", "Ni"], 5)
    p = rattle(p, 0.08, 5)
    cases.append(("eam_funcfl_cuni_two_files", p, s, c, {"kind": "eam", "files": [cu, ni]}, ["Cu", "Ni"],
                  ["pair_style eam", "pair_coeff 1 1 %s" % cu, "pair_coeff 2 2 %s" % ni]))
    zhou = "lammps/Cu_zhou.eam.alloy"
    p, s, c = lattice("fcc", 3.615, (3, 3, 3), ["Cu"])
    p, c = strain(rattle(p, 0.1, 6), c, [[-0.01, 0, 0], [0.03, 0.01, 0], [-0.02, 0.01, 0.0]])
    cases.append(("eam_alloy_cu_zhou_rattled", p, s, c, {"kind": "eam", "files": [zhou]}, ["Cu"],
                  ["pair_style eam/alloy", "pair_coeff * * %s Cu" % zhou]))
    cuni = "lammps/CuNi.eam.alloy"
    p, s, c = lattice("fcc", 3.58, (3, 3, 3), ["Cu"])
    s = shuffle_species(s, ["Cu", "Ni"], 7)
    p, s, c = slab(rattle(p, 0.08, 7), s, c, 6.0)
    cases.append(("eam_alloy_cuni_slab", p, s, c, {"kind": "eam", "files": [cuni]}, ["Ni", "Cu"],
                  ["pair_style eam/alloy", "pair_coeff * * %s Ni Cu" % cuni]))
    fe = "lammps/Fe_mm.eam.fs"
    p, s, c = lattice("bcc", 2.855, (4, 4, 4), ["Fe"])
    p, c = strain(rattle(p, 0.08, 8), c, [[0.005, 0, 0], [0.01, 0, 0], [0, -0.02, 0.01]])
    cases.append(("eam_fs_fe_rattled", p, s, c, {"kind": "eam", "files": [fe]}, ["Fe"],
                  ["pair_style eam/fs", "pair_coeff * * %s Fe" % fe]))
    cuzr = "lammps/CuZr_mm.eam.fs"
    p, s, c = lattice("bcc", 3.2, (4, 4, 3), ["Cu", "Zr"])
    s = shuffle_species(s, ["Cu", "Zr"], 9)
    p = rattle(p, 0.1, 9)
    cases.append(("eam_fs_cuzr_alloy", p, s, c, {"kind": "eam", "files": [cuzr]}, ["Cu", "Zr"],
                  ["pair_style eam/fs", "pair_coeff * * %s Cu Zr" % cuzr]))
    return cases


def pair_cases():
    cases = []
    p, s, c = lattice("fcc", 5.26, (3, 3, 3), ["Ar"])
    p, c = strain(rattle(p, 0.15, 10), c, [[0.01, 0, 0], [0.02, -0.01, 0], [0.01, 0.0, 0.0]])
    cases.append(("lj_argon_rattled", p, s, c, {"kind": "lj", "epsilon": 0.0104, "sigma": 3.40, "cutoff": 8.5, "shift": False},
                  ["Ar"], ["pair_style lj/cut 8.5", "pair_coeff 1 1 0.0104 3.40"]))
    cases.append(("lj_argon_shifted", p, s, c, {"kind": "lj", "epsilon": 0.0104, "sigma": 3.40, "cutoff": 8.5, "shift": True},
                  ["Ar"], ["pair_style lj/cut 8.5", "pair_coeff 1 1 0.0104 3.40", "pair_modify shift yes"]))
    p, s, c = triclinic_primitive_fcc(4.1, (4, 4, 4), "Cu")
    s = shuffle_species(s, ["Cu", "Ni"], 11)
    p = rattle(p, 0.1, 11)
    cases.append(("lj_table_two_species_triclinic", p, s, c,
                  {"kind": "lj_table", "cutoff": 7.0, "shift": True,
                   "pairs": [["Cu", "Cu", 0.4, 2.3], ["Ni", "Ni", 0.5, 2.2], ["Cu", "Ni", 0.3, 2.5]]},
                  ["Cu", "Ni"], ["pair_style lj/cut 7.0", "pair_coeff 1 1 0.4 2.3", "pair_coeff 2 2 0.5 2.2",
                                 "pair_coeff 1 2 0.3 2.5", "pair_modify shift yes"]))
    p, s, c = lattice("fcc", 3.615, (3, 3, 3), ["Cu"])
    p = rattle(p, 0.1, 12)
    cases.append(("morse_cu_rattled", p, s, c, {"kind": "morse", "D": 0.3429, "alpha": 1.3588, "r0": 2.866, "cutoff": 9.0},
                  ["Cu"], ["pair_style morse 9.0", "pair_coeff 1 1 0.3429 1.3588 2.866"]))
    return cases


def three_body_cases():
    cases = []
    sw = "lammps/Si.sw"
    p, s, c = lattice("diamond", 5.431, (2, 2, 2), ["Si"])
    p, c = strain(rattle(p, 0.12, 20), c, [[0.01, 0, 0], [0.02, -0.01, 0], [-0.01, 0.015, 0.0]])
    cases.append(("sw_si_rattled", p, s, c, {"kind": "file", "file": sw}, ["Si"],
                  ["pair_style sw", "pair_coeff * * %s Si" % sw]))
    p, s, c = lattice("diamond", 5.431, (2, 2, 2), ["Si"])
    p, s = remove(p, s, [5])
    p, s, c = slab(rattle(p, 0.08, 21), s, c, 7.0)
    cases.append(("sw_si_vacancy_surface", p, s, c, {"kind": "file", "file": sw}, ["Si"],
                  ["pair_style sw", "pair_coeff * * %s Si" % sw]))
    ters = "lammps/Si.tersoff"
    p, s, c = lattice("diamond", 5.432, (2, 2, 2), ["Si"])
    p, c = strain(rattle(p, 0.12, 22), c, [[0.0, 0, 0], [0.03, 0.01, 0], [0.0, -0.01, -0.01]])
    cases.append(("tersoff_si_rattled", p, s, c, {"kind": "file", "file": ters}, ["Si"],
                  ["pair_style tersoff", "pair_coeff * * %s Si" % ters]))
    p, s, c = lattice("diamond", 5.432, (2, 2, 2), ["Si"])
    p, s = remove(p, s, [0, 9])
    p, s, c = slab(rattle(p, 0.08, 23), s, c, 6.0)
    cases.append(("tersoff_si_vacancies_surface", p, s, c, {"kind": "file", "file": ters}, ["Si"],
                  ["pair_style tersoff", "pair_coeff * * %s Si" % ters]))
    sic = "lammps/SiC.tersoff"
    p, s, c = lattice("diamond", 4.36, (2, 2, 2), ["Si", "Si", "Si", "Si", "C", "C", "C", "C"])
    p = rattle(p, 0.1, 24)
    cases.append(("tersoff_sic_zincblende", p, s, c, {"kind": "file", "file": sic}, ["Si", "C"],
                  ["pair_style tersoff", "pair_coeff * * %s Si C" % sic]))
    s2 = shuffle_species(s, ["Si", "C"], 25)
    p2, c2 = strain(rattle(p, 0.05, 25), c, [[0.01, 0, 0], [0.01, 0.0, 0], [0.0, 0.02, -0.01]])
    cases.append(("tersoff_sic_disordered", p2, s2, c2, {"kind": "file", "file": sic}, ["C", "Si"],
                  ["pair_style tersoff", "pair_coeff * * %s C Si" % sic]))
    return cases


def shipped_cases():
    """The potentials shipped in potentials/ (tools/potentials/generate.py), checked against LAMMPS like the
    distributed ones. The JSON names them by file name; the tests find them in potentials/."""
    cases = []
    shipped = os.path.join(ROOT, "potentials")

    def ref(name):
        return {"kind": "shipped", "file": name}, os.path.join(shipped, name)

    name = "CuAgAuNiPdPtAl_Zhou04.eam.alloy"
    if os.path.exists(os.path.join(shipped, name)):
        spec, path = ref(name)
        p, s, c = lattice("fcc", 3.9, (3, 3, 3), ["Cu"])
        els = ["Cu", "Ag", "Au", "Ni", "Pd", "Pt", "Al"]
        s = shuffle_species(s, els, 30)
        p, c = strain(rattle(p, 0.1, 30), c, [[0.01, 0, 0], [0.02, 0.0, 0], [0.0, 0.01, -0.01]])
        cases.append(("shipped_zhou_alloy_all", p, s, c, spec, els,
                      ["pair_style eam/alloy", "pair_coeff * * %s %s" % (path, " ".join(els))]))
    for el, a in [("Cu", 3.615), ("Ag", 4.09), ("Au", 4.08), ("Ni", 3.52), ("Pd", 3.89), ("Pt", 3.92), ("Al", 4.05)]:
        name = "%s_Zhou04.eam.alloy" % el
        if os.path.exists(os.path.join(shipped, name)):
            spec, path = ref(name)
            p, s, c = lattice("fcc", a, (3, 3, 3), [el])
            p, s = remove(p, s, [7])
            p = rattle(p, 0.1, 31)
            cases.append(("shipped_zhou_%s" % el.lower(), p, s, c, spec, [el],
                          ["pair_style eam/alloy", "pair_coeff * * %s %s" % (path, el)]))
    name = "Si_StillingerWeber85.sw"
    if os.path.exists(os.path.join(shipped, name)):
        spec, path = ref(name)
        p, s, c = lattice("diamond", 5.431, (2, 2, 2), ["Si"])
        p, c = strain(rattle(p, 0.1, 32), c, [[0.01, 0, 0], [0.0, 0.0, 0], [0.02, 0.0, -0.01]])
        cases.append(("shipped_sw_si", p, s, c, spec, ["Si"], ["pair_style sw", "pair_coeff * * %s Si" % path]))
    return cases


def main():
    results = []
    with tempfile.TemporaryDirectory() as work:
        for name, pos, sym, cell, potential, types, pair_lines in eam_cases() + pair_cases() + three_body_cases() + shipped_cases():
            pos = wrap(np.asarray(pos, dtype=float), np.asarray(cell, dtype=float))
            pair_lines = [l.replace(" lammps/", " %s/lammps/" % DATA) for l in pair_lines]
            energy, forces, stress, atom_energies = run_lammps(pos, sym, cell, types, pair_lines, work)
            results.append({
                "name": name,
                "potential": potential,
                "numbers": [Z[x] for x in sym],
                "cell": np.asarray(cell, dtype=float).tolist(),
                "positions": pos.tolist(),
                "energy": energy,
                "forces": forces,
                "stress": stress,
                "atom_energies": atom_energies,
            })
            print("%-36s %4d atoms  E = %.10f eV" % (name, len(sym), energy))
    out = os.path.join(DATA, "lammps_reference.json")
    with open(out, "w") as f:
        json.dump({"generator": "tools/reference/lammps_classical.py", "lammps": lammps_version(), "cases": results}, f, indent=1)
    print("wrote", out)


def lammps_version():
    out = subprocess.run([LMP, "-h"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "Large-scale Atomic/Molecular Massively Parallel Simulator" in line:
            return line.split("-", 1)[1].strip()
    return "unknown"


if __name__ == "__main__":
    main()
