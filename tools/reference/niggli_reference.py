"""Reference Niggli reductions from ASE 3.22 (ase.build.niggli_reduce_cell) for MDEngine's NiggliReduction tests.

Run from the repository root:  /usr/bin/python3 tools/reference/niggli_reference.py
Writes tests/MDEngine.Tests/data/io/niggli_reference.json: for each input cell (rows = lattice vectors) the reduced
cell parameters (a, b, c, alpha, beta, gamma), the reduced cell in ASE's orientation and the integer transformation C
(new vector j = sum_i C[i, j] * old vector i). Inputs: random general cells, and cells of symmetric lattices (fcc,
bcc, hexagonal, rhombohedral, tetragonal) scrambled by random unimodular matrices, where the reduction meets its
equalities and the tolerances matter.
"""
import json
import os

import numpy as np
from ase.build.tools import niggli_reduce_cell
from ase.geometry import cell_to_cellpar

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'MDEngine.Tests', 'data', 'io',
                   'niggli_reference.json')


def unimodular(rng):
    while True:
        m = rng.integers(-2, 3, size=(3, 3))
        if round(abs(np.linalg.det(m))) == 1:
            return m


def main():
    rng = np.random.default_rng(2004)
    cells = []
    for _ in range(30):
        cells.append(rng.normal(size=(3, 3)) * 3 + np.eye(3) * 2)
    symmetric = [
        0.5 * 3.615 * np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]]),
        0.5 * 2.87 * np.array([[-1, 1, 1], [1, -1, 1], [1, 1, -1]]),
        np.array([[3.2, 0, 0], [-1.6, 1.6 * np.sqrt(3), 0], [0, 0, 5.2]]),
        np.array([[4.0, 0, 0], [0, 4.0, 0], [0, 0, 6.0]]),
        np.array([[1.0, 0.2, 0.2], [0.2, 1.0, 0.2], [0.2, 0.2, 1.0]]) * 3,
        np.eye(3) * 5.431,
    ]
    for base in symmetric:
        cells.append(base)
        for _ in range(3):
            cells.append(unimodular(rng) @ base)
    records = []
    for cell in cells:
        if np.linalg.det(cell) < 0:
            cell = -cell
        reduced, op = niggli_reduce_cell(cell)
        records.append({'cell': cell.tolist(), 'reduced': reduced.tolist(), 'cellpar': cell_to_cellpar(reduced).tolist(),
                        'transformation': op.tolist()})
    with open(OUT, 'w') as f:
        json.dump(records, f, indent=1)


if __name__ == '__main__':
    main()
