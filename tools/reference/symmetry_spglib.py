#!/usr/bin/python3
"""Reference corpus for MDEngine's symmetry finder, from spglib (Debian python3-spglib 2.0).

For every one of the 230 space-group types a crystal is built in the default setting from random Wyckoff
occupations (tables from src/MDEngine.Core/Symmetry/Data/spacegroups.json), then transformed:
  base      : as built
  rotated   : random Cartesian rotation + random atom permutation
  supercell : diagonal supercell + random noise (at most symprec/4) with symprec 1e-3
  shifted   : random origin shift (+ rotation); spglib's Wyckoff letters then depend on its arbitrary choice of
              origin among those of the affine normaliser, so letters are compared up to that relabelling.
For each, spglib.get_symmetry_dataset(cell, symprec) is recorded: number, hall_number, international, pointgroup,
wyckoffs, equivalent_atoms, std_lattice, std_types, std_positions, the standardized primitive cell
(spglib.standardize_cell(to_primitive=True)), plus the structure itself.
Also records spglib's time for a 1,000-atom supercell (benchmark in docs/benchmarks.md).

Rerun:  /usr/bin/python3 tools/reference/symmetry_spglib.py
Writes: tests/MDEngine.Tests/data/symmetry/spglib_corpus.json, spglib_database.json (operations and names per\nHall number), spglib_benchmark.json
"""
import json
import os
import time

import numpy as np
import spglib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DB = json.load(open(os.path.join(REPO, "src", "MDEngine.Core", "Symmetry", "Data", "spacegroups.json")))
OUT = os.path.join(REPO, "tests", "MDEngine.Tests", "data", "symmetry")
DEFAULTS = {s["number"]: s for s in DB["settings"] if s["is_default"]}
rng = np.random.default_rng(20261124)


def cell_from_parameters(a, b, c, al, be, ga):
    al, be, ga = np.radians([al, be, ga])
    cx = np.cos(be)
    cy = (np.cos(al) - np.cos(be) * np.cos(ga)) / np.sin(ga)
    return np.array([[a, 0, 0], [b * np.cos(ga), b * np.sin(ga), 0], [c * cx, c * cy, c * np.sqrt(1 - cx * cx - cy * cy)]])


def random_lattice(system):
    a, b, c = rng.uniform(4.0, 7.0, 3)
    if system == "triclinic":
        while True:
            lat = cell_from_parameters(a, b, c, *rng.uniform(70, 110, 3))
            if np.isfinite(lat).all():
                return spglib.niggli_reduce(lat)
    if system == "monoclinic":
        return cell_from_parameters(a, b, c, 90, rng.uniform(95, 115), 90)
    if system == "orthorhombic":
        return cell_from_parameters(*sorted([a, b, c]), 90, 90, 90)
    if system == "tetragonal":
        return cell_from_parameters(a, a, c, 90, 90, 90)
    if system in ("trigonal", "hexagonal"):
        return cell_from_parameters(a, a, c, 90, 90, 120)
    return cell_from_parameters(a, a, a, 90, 90, 90)


def evaluate(expr, x, y, z):
    import re
    expr = re.sub(r"(\d)([xyz])", r"\1*\2", expr)
    return np.array([float(eval(e, {}, {"x": x, "y": y, "z": z})) for e in expr.split(",")])


def orbit(setting, point):
    points = []
    for op in setting["operations"]:
        p = evaluate(op, *point) % 1.0
        if not any(np.linalg.norm((p - q + 0.5) % 1.0 - 0.5) < 1e-6 for q in points):
            points.append(p)
    return points


def min_distance(lattice, frac):
    f = np.array(frac)
    best = np.inf
    for i in range(len(f)):
        d = (f[i + 1:] - f[i] + 0.5) % 1.0 - 0.5
        if len(d):
            best = min(best, np.linalg.norm(d @ lattice, axis=1).min())
    return best


def build(number):
    setting = DEFAULTS[number]
    for attempt in range(500):
        lattice = random_lattice(setting["crystal_system"])
        nsites = rng.integers(1, 4)
        frac, types = [], []
        for k in range(nsites):
            w = setting["wyckoffs"][rng.integers(0, len(setting["wyckoffs"]))]
            if w["multiplicity"] > 96:
                w = setting["wyckoffs"][0]
            point = evaluate(w["coordinates"][0], *rng.uniform(0, 1, 3))
            pts = orbit(setting, point)
            frac += pts
            types += [k + 1] * len(pts)
        if len(frac) > 120 or min_distance(lattice, frac) < 0.9:
            continue
        ds = spglib.get_symmetry_dataset((lattice, np.array(frac), types), symprec=1e-5)
        if ds is not None and ds["number"] == number and ds["hall_number"] == setting["hall_number"]:
            return lattice, np.array(frac), np.array(types)
    raise SystemExit(f"no structure for {number}")


def random_rotation():
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q @ np.diag(np.sign(np.diag(r)))
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1
    return q


def record(name, number, lattice, frac, types, symprec):
    ds = spglib.get_symmetry_dataset((lattice, frac, types), symprec=symprec)
    prim = spglib.standardize_cell((lattice, frac, types), to_primitive=True, no_idealize=False, symprec=symprec)
    return {
        "name": name, "expected_number": number, "symprec": symprec,
        # Stored at full precision: spglib's choice of origin can depend on differences of 1e-10 (a translation
        # just below 0 is taken as just below 1), so the reference must be for exactly the stored structure.
        "lattice": lattice.tolist(), "positions": np.asarray(frac).tolist(), "numbers": [int(t) for t in types],
        "number": int(ds["number"]), "hall_number": int(ds["hall_number"]), "international": ds["international"],
        "pointgroup": ds["pointgroup"], "wyckoffs": list(ds["wyckoffs"]),
        "equivalent_atoms": [int(x) for x in ds["equivalent_atoms"]], "n_operations": int(len(ds["rotations"])),
        "std_lattice": np.round(ds["std_lattice"], 8).tolist(), "std_types": [int(t) for t in ds["std_types"]],
        "std_positions": np.round(ds["std_positions"], 8).tolist(),
        "primitive_lattice": np.round(prim[0], 8).tolist(), "primitive_positions": np.round(prim[1], 8).tolist(),
        "primitive_types": [int(t) for t in prim[2]],
        "transformation_matrix": np.round(ds["transformation_matrix"], 8).tolist(),
        "origin_shift": np.round(ds["origin_shift"], 8).tolist(),
    }


def database_reference():
    """spglib's own operations and names for every Hall number (compared with MDEngine's generated tables)."""
    settings = []
    for hall in range(1, 531):
        sym = spglib.get_symmetry_from_database(hall)
        info = spglib.get_spacegroup_type(hall)
        ops = []
        for r, t in zip(sym["rotations"], sym["translations"]):
            ops.append([int(v) for v in np.array(r).ravel()] + [int(round(float(x) % 1.0 * 12)) % 12 for x in t])
        settings.append({"hall_number": hall, "number": info["number"], "hall_symbol": info["hall_symbol"],
                         "international_short": info["international_short"], "pointgroup": info["pointgroup_international"],
                         "choice": info["choice"], "operations": ops})
    with open(os.path.join(OUT, "spglib_database.json"), "w") as f:
        json.dump({"spglib_version": spglib.__version__, "translations_in_twelfths": True, "settings": settings}, f, separators=(",", ":"))


def main():
    database_reference()
    corpus = []
    for number in range(1, 231):
        lattice, frac, types = build(number)
        corpus.append(record("base", number, lattice, frac, types, 1e-5))
        rot = random_rotation()
        perm = rng.permutation(len(types))
        corpus.append(record("rotated", number, lattice @ rot.T, frac[perm], types[perm], 1e-5))
        reps = [2, 1, 1] if len(types) <= 30 else [1, 1, 1]
        sfrac = np.concatenate([(frac + np.array([i, j, k])) / reps for i in range(reps[0]) for j in range(reps[1]) for k in range(reps[2])])
        slat = lattice * np.array(reps)[:, None]
        stypes = np.tile(types, reps[0] * reps[1] * reps[2])
        # Noise well below symprec: random directions, lengths up to a quarter of symprec (2.5e-4 A).
        directions = rng.normal(size=sfrac.shape)
        directions /= np.linalg.norm(directions, axis=1)[:, None]
        noise = (directions * rng.uniform(0, 2.5e-4, (len(sfrac), 1))) @ np.linalg.inv(slat)
        corpus.append(record("supercell", number, slat, (sfrac + noise) % 1.0, stypes, 1e-3))
        shift = rng.uniform(0, 1, 3)
        corpus.append(record("shifted", number, lattice @ rot.T, (frac + shift) % 1.0, types, 1e-5))
    with open(os.path.join(OUT, "spglib_corpus.json"), "w") as f:
        json.dump({"spglib_version": spglib.__version__, "structures": corpus}, f, separators=(",", ":"))
    bench()
    angle_cases()


def bench():
    # Rock salt, conventional cell 5x5x5 = 1000 atoms, small noise; symprec 1e-3.
    a = 5.64
    base = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    frac = np.concatenate([base, base + 0.5]) % 1.0
    types = [11] * 4 + [17] * 4
    n = 5
    sfrac = np.concatenate([(frac + np.array([i, j, k])) / n for i in range(n) for j in range(n) for k in range(n)])
    stypes = types * (n ** 3)
    lat = np.eye(3) * a * n
    sfrac = (sfrac + rng.normal(scale=1e-4, size=sfrac.shape) / (a * n)) % 1.0
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        ds = spglib.get_symmetry_dataset((lat, sfrac, stypes), symprec=1e-3)
        times.append(time.perf_counter() - t0)
    with open(os.path.join(OUT, "spglib_benchmark.json"), "w") as f:
        json.dump({"structure": "NaCl 5x5x5 conventional (1000 atoms), noise 1e-4 A, symprec 1e-3",
                   "lattice": lat.tolist(), "positions": sfrac.round(10).tolist(), "numbers": stypes,
                   "spglib_number": int(ds["number"]), "spglib_seconds_min": min(times), "spglib_seconds_median": float(np.median(times))}, f)
    print("spglib 1000 atoms:", min(times), "s")


def angle_cases():
    """Crystals whose cell angles deviate from the ideal by a few tenths of a degree, analysed by spglib with and
    without an angle tolerance (spglib_angle.json)."""
    local = np.random.default_rng(11)
    cases = []
    for number, params in ((221, (4.0, 4.0, 4.0)), (123, (4.0, 4.0, 5.5)), (191, (4.0, 4.0, 5.5)), (47, (3.8, 4.4, 5.1))):
        setting = DEFAULTS[number]
        gamma = 120 if setting["crystal_system"] == "hexagonal" else 90
        for delta in (0.3, 0.6):
            lattice = cell_from_parameters(*params, 90 + delta, 90 - delta / 2, gamma + delta)
            frac, types = [], []
            for k, w in enumerate(setting["wyckoffs"][:2]):
                pts = orbit(setting, evaluate(w["coordinates"][0], *local.uniform(0, 1, 3)))
                frac += pts
                types += [k + 1] * len(pts)
            for symprec, angle in ((0.1, 1.0), (0.1, -1.0), (1e-3, 1.0), (1e-3, -1.0)):
                ds = spglib.get_symmetry_dataset((lattice, np.array(frac), types), symprec=symprec, angle_tolerance=angle)
                cases.append({"lattice": lattice.tolist(), "positions": np.array(frac).tolist(), "numbers": types,
                              "symprec": symprec, "angle_tolerance": angle, "number": int(ds["number"]),
                              "hall_number": int(ds["hall_number"]), "wyckoffs": list(ds["wyckoffs"]),
                              "equivalent_atoms": [int(x) for x in ds["equivalent_atoms"]]})
    with open(os.path.join(OUT, "spglib_angle.json"), "w") as f:
        json.dump({"spglib_version": spglib.__version__, "cases": cases}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
