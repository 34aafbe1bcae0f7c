"""Example structures shipped in structures/, written with ASE 3.22.

Run from the repository root:  /usr/bin/python3 tools/reference/example_structures.py
  structures/Cu_vacancy.extxyz : fcc Cu, 3x3x3 conventional supercell (a = 3.615 Å), atom 0 removed, rattled by
                                 0.02 Å (seed 42): 107 atoms
  structures/Si_diamond.cif     : conventional diamond Si (a = 5.431 Å) as one site with the 192 operations of Fd-3m
  structures/Al_fcc.vasp        : conventional fcc Al (a = 4.05 Å), VASP 5 POSCAR, direct coordinates
"""
import os
import sys

from ase.build import bulk
from ase.io import write

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from io_corpus import write_si_diamond  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'structures')


def main():
    os.makedirs(ROOT, exist_ok=True)
    cu = bulk('Cu', 'fcc', a=3.615, cubic=True).repeat((3, 3, 3))
    del cu[0]
    cu.rattle(0.02, seed=42)
    write(os.path.join(ROOT, 'Cu_vacancy.extxyz'), cu, format='extxyz')
    write_si_diamond(os.path.join(ROOT, 'Si_diamond.cif'))
    al = bulk('Al', 'fcc', a=4.05, cubic=True)
    write(os.path.join(ROOT, 'Al_fcc.vasp'), al, format='vasp', direct=True)


if __name__ == '__main__':
    main()
