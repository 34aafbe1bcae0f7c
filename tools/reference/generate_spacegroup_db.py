#!/usr/bin/python3
"""Generates MDEngine's space-group database (src/MDEngine.Core/Symmetry/Data/spacegroups.json).

Sources: spglib's database files copied to tools/reference/spglib/ (spg.csv: Hall symbols and names of the 530
Hall settings; Wyckoff.csv: Wyckoff positions; BSD licence in COPYING). The symmetry operations are derived here
from the Hall symbols (S. R. Hall, Acta Cryst. A37, 517 (1981); International Tables for Crystallography
Vol. B, ch. 1.4) and cross-checked, as sets, against spglib.get_symmetry_from_database(hall_number).

Rerun:  /usr/bin/python3 tools/reference/generate_spacegroup_db.py
"""
import json
import os
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "src", "MDEngine.Core", "Symmetry", "Data", "spacegroups.json")

# Rotation matrices about z (Hall's table); x and y versions are cyclic permutations of these.
ROT_Z = {
    "1": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    "2": [[-1, 0, 0], [0, -1, 0], [0, 0, 1]],
    "3": [[0, -1, 0], [1, -1, 0], [0, 0, 1]],
    "4": [[0, -1, 0], [1, 0, 0], [0, 0, 1]],
    "6": [[1, -1, 0], [1, 0, 0], [0, 0, 1]],
}
ROT_Z_PRIME = [[0, -1, 0], [-1, 0, 0], [0, 0, -1]]          # 2' along a-b (principal axis z)
ROT_Z_DOUBLE_PRIME = [[0, 1, 0], [1, 0, 0], [0, 0, -1]]     # 2" along a+b
ROT_BODY_DIAGONAL = [[0, 0, 1], [1, 0, 0], [0, 1, 0]]      # 3* along a+b+c
TRANSLATION_SYMBOLS = {
    "a": (Fraction(1, 2), 0, 0), "b": (0, Fraction(1, 2), 0), "c": (0, 0, Fraction(1, 2)),
    "n": (Fraction(1, 2),) * 3, "u": (Fraction(1, 4), 0, 0), "v": (0, Fraction(1, 4), 0),
    "w": (0, 0, Fraction(1, 4)), "d": (Fraction(1, 4),) * 3,
}
CENTRING = {
    "P": [], "A": [(0, Fraction(1, 2), Fraction(1, 2))], "B": [(Fraction(1, 2), 0, Fraction(1, 2))],
    "C": [(Fraction(1, 2), Fraction(1, 2), 0)], "I": [(Fraction(1, 2),) * 3],
    "R": [(Fraction(2, 3), Fraction(1, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(2, 3), Fraction(2, 3))],
    "F": [(0, Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), 0, Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2), 0)],
}
AXIS_INDEX = {"x": 0, "y": 1, "z": 2}


def permute(m, axis):
    """Rotation about z re-expressed about axis x (0) or y (1) by cyclic permutation of coordinates."""
    s = (axis + 1) % 3  # x: shift 1 (z->x), y: shift 2 (z->y)
    k = 2 - axis
    return [[m[(i + k) % 3][(j + k) % 3] for j in range(3)] for i in range(3)]


def parse_hall(symbol):
    """Generators (rotation, translation as Fractions) and centring vectors of a Hall symbol."""
    text = symbol.strip()
    shift = (0, 0, 0)
    if "(" in text:
        text, vec = text.split("(")
        shift = tuple(Fraction(int(v), 12) for v in vec.strip(") ").split())
        text = text.strip()
    tokens = text.split()
    lattice = tokens[0]
    centrosymmetric = lattice.startswith("-")
    centring = CENTRING[lattice.lstrip("-")]
    generators = []
    previous_order, previous_axis = None, None
    for position, token in enumerate(tokens[1:]):
        improper = token.startswith("-")
        token = token.lstrip("-")
        order = token[0]
        rest = token[1:]
        axis = None
        screw = 0
        if rest and rest[0] in "xyz\"'*=":
            axis = rest[0]
            rest = rest[1:]
        if rest and rest[0].isdigit():
            screw = int(rest[0])
            rest = rest[1:]
        if axis is None:
            if position == 0:
                axis = "z"
            elif position == 1 and order == "2":
                axis = "x" if previous_order in ("2", "4") else "'"
            elif position == 2 and order == "3":
                axis = "*"
            else:
                axis = "z"
        if axis in ("'", '"', "="):
            base = ROT_Z_PRIME if axis == "'" else ROT_Z_DOUBLE_PRIME
            rotation = base if previous_axis in ("z", None) else permute(base, AXIS_INDEX[previous_axis])
        elif axis == "*":
            rotation = ROT_BODY_DIAGONAL
        else:
            rotation = ROT_Z[order] if axis == "z" else permute(ROT_Z[order], AXIS_INDEX[axis])
        translation = [Fraction(0)] * 3
        if screw:
            translation[AXIS_INDEX[axis]] += Fraction(screw, int(order))
        for ch in rest:
            for k in range(3):
                translation[k] += TRANSLATION_SYMBOLS[ch][k]
        if improper:
            rotation = [[-v for v in row] for row in rotation]
        generators.append((rotation, tuple(translation)))
        if axis in ("x", "y", "z"):
            previous_axis = axis
        previous_order = order
    if centrosymmetric:
        generators.append(([[-1, 0, 0], [0, -1, 0], [0, 0, -1]], (0, 0, 0)))
    # Origin shift V (in twelfths): the operation (W, w) becomes (W, w + (I - W) V).
    shifted = []
    for rotation, translation in generators:
        t = [translation[i] + sum((1 if i == j else 0) * shift[j] - rotation[i][j] * shift[j] for j in range(3)) for i in range(3)]
        shifted.append((rotation, tuple(t)))
    return shifted, centring


def mod1(t):
    return tuple(x - (x.numerator // x.denominator) for x in t)


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def apply(a, t):
    return tuple(sum(a[i][k] * t[k] for k in range(3)) for i in range(3))


def key(op):
    return (tuple(tuple(r) for r in op[0]), op[1])


def closure(generators, centring):
    identity = ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], (Fraction(0),) * 3)
    ops = {key(identity): identity}
    frontier = [identity]
    gens = [(g[0], mod1(g[1])) for g in generators] + [(identity[0], mod1(c)) for c in centring]
    while frontier:
        new = []
        for a in frontier:
            for g in gens:
                r = matmul(g[0], a[0])
                t = mod1(tuple(x + y for x, y in zip(apply(g[0], a[1]), g[1])))
                k = key((r, t))
                if k not in ops:
                    ops[k] = (r, t)
                    new.append((r, t))
        frontier = new
    return list(ops.values())


def frac_text(x):
    return str(x) if x.denominator != 1 else str(x.numerator)


def op_text(op):
    """Jones-faithful form, e.g. -y+1/4,x+3/4,z."""
    parts = []
    for i in range(3):
        s = ""
        for j, name in enumerate("xyz"):
            v = op[0][i][j]
            if v:
                s += ("+" if v > 0 and s else "") + ("-" if v < 0 else "") + (name if abs(v) == 1 else f"{abs(v)}{name}")
        if op[1][i]:
            s += "+" + frac_text(op[1][i])
        parts.append(s or "0")
    return ",".join(parts)


def crystal_system(number):
    for top, name in ((2, "triclinic"), (15, "monoclinic"), (74, "orthorhombic"), (142, "tetragonal"),
                      (167, "trigonal"), (194, "hexagonal"), (230, "cubic")):
        if number <= top:
            return name


def read_wyckoff(path):
    table = {}
    current = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            fields = line.split(":")
            if fields[0] == "end of data":
                break
            if fields[0]:
                current = int(fields[0])
                table[current] = []
            elif fields[2]:
                table[current].append({"letter": fields[3], "multiplicity": int(fields[2]), "site_symmetry": fields[4],
                                       "coordinates": [c.strip("()") for c in fields[5:] if c]})
            else:
                table[current][-1]["coordinates"].extend(c.strip("()") for c in fields[5:] if c)
    return table


def main():
    import spglib
    wyckoff = read_wyckoff(os.path.join(HERE, "spglib", "Wyckoff.csv"))
    settings = []
    with open(os.path.join(HERE, "spglib", "spg.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    for row in rows:
        hall_number = int(row[0])
        hall_symbol = row[6]
        generators, centring = parse_hall(hall_symbol)
        ops = closure(generators, centring)
        reference = spglib.get_symmetry_from_database(hall_number)
        mine = {(tuple(tuple(r) for r in op[0]), tuple(float(x) for x in op[1])) for op in ops}
        theirs = {(tuple(tuple(int(v) for v in r) for r in rot), tuple(round(float(x) % 1.0, 9) % 1.0 for x in t))
                  for rot, t in zip(reference["rotations"], reference["translations"])}
        mine = {(r, tuple(round(x, 9) for x in t)) for r, t in mine}
        if mine != theirs:
            raise SystemExit(f"Hall {hall_number} ({hall_symbol}): operations differ from spglib's")
        # Same set; listed in spglib's order, whose first operation of each rotation carries the translation
        # spglib's origin rule starts from (the other ones of that rotation differ by centring vectors).
        def key(rot, t):
            return (tuple(tuple(int(v) for v in r) for r in rot), tuple(round(float(x) % 1.0, 9) % 1.0 for x in t))
        by_key = {key(op[0], op[1]): op for op in ops}
        ops = [by_key[key(rot, t)] for rot, t in zip(reference["rotations"], reference["translations"])]
        info = spglib.get_spacegroup_type(hall_number)
        number = info["number"]
        wyck = wyckoff[hall_number]
        # Wyckoff.csv lists letters from the general position down to 'a'; store from 'a' up.
        wyck = list(reversed(wyck))
        settings.append({
            "hall_number": hall_number, "number": number, "choice": info["choice"], "hall_symbol": hall_symbol,
            "international": info["international"], "international_short": info["international_short"],
            "international_full": info["international_full"], "schoenflies": info["schoenflies"],
            "pointgroup": info["pointgroup_international"], "crystal_system": crystal_system(number),
            "centering": hall_symbol.lstrip("-")[0],
            "operations": [op_text(op) for op in ops], "wyckoffs": wyck,
        })
    # Default setting per space-group type, as spglib's default (the setting its dataset reports).
    defaults = {}
    for s in settings:
        defaults.setdefault(s["number"], None)
    for number in range(1, 231):
        candidates = [s for s in settings if s["number"] == number]
        defaults[number] = spglib_default(candidates)
    for s in settings:
        s["is_default"] = defaults[s["number"]] == s["hall_number"]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"source": "spglib database (spg.csv, Wyckoff.csv; BSD-3-Clause), operations from Hall symbols",
                   "settings": settings}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(settings)} Hall settings to {OUT}")


def spglib_default(candidates):
    """The Hall setting spglib's dataset reports for a crystal of this space-group type: a random general-position
    crystal is built from the first setting's operations and spglib is asked. (spglib 2.0 reports origin choice 1
    for some groups with two origin choices, e.g. Pnnn, and hexagonal axes for rhombohedral groups.)"""
    import numpy as np
    import spglib
    first = candidates[0]
    rng = np.random.default_rng(first["number"])
    lattice = np.array([[4.1, 0, 0], [0.7, 5.3, 0], [-1.1, 0.4, 6.7]])
    system = first["crystal_system"]
    if system in ("trigonal", "hexagonal"):
        lattice = np.array([[4.1, 0, 0], [-2.05, 4.1 * np.sqrt(3) / 2, 0], [0, 0, 6.7]])
    elif system == "tetragonal":
        lattice = np.diag([4.1, 4.1, 6.7])
    elif system == "cubic":
        lattice = np.diag([6.7, 6.7, 6.7])
    elif system == "orthorhombic":
        lattice = np.diag([4.1, 5.3, 6.7])
    elif system == "monoclinic":
        lattice = np.array([[4.1, 0, 0], [0, 5.3, 0], [-1.5, 0, 6.5]])
    if first["centering"] == "R" and first["choice"] == "R":
        first = [s for s in candidates if s["choice"] == "H"][0]
    points, types = [], []
    for species in (1, 2):
        x = rng.uniform(0, 1, 3)
        orbit = []
        for op in first["operations"]:
            p = np.array([float(eval(e, {}, {"x": x[0], "y": x[1], "z": x[2]})) for e in op.split(",")]) % 1.0
            if not any(np.linalg.norm((p - q + 0.5) % 1.0 - 0.5) < 1e-6 for q in orbit):
                orbit.append(p)
        points += orbit
        types += [species] * len(orbit)
    dataset = spglib.get_symmetry_dataset((lattice, np.array(points), types), symprec=1e-5)
    if dataset["number"] != first["number"]:
        raise SystemExit(f"spglib finds {dataset['number']} for a general position of {first['number']}")
    return int(dataset["hall_number"])


if __name__ == "__main__":
    main()
