"""Reference corpus for MDEngine's structure-file readers and writers, written and read with ASE 3.22.

Run from the repository root:

    /usr/bin/python3 tools/reference/io_corpus.py            # write the corpus and expected values
    /usr/bin/python3 tools/reference/io_corpus.py --check    # also read the files MDEngine wrote (see below)

Writes into tests/MDEngine.Tests/data/io/:
  * files in each format written by ASE (extended XYZ with info/arrays/energy/stress/forces/momenta, plain XYZ,
    CIF, POSCAR direct/Cartesian/selective dynamics) and hand-written awkward CIFs (cif_hand/*.cif);
  * expected.json: for every file, what ASE reads from it (numbers, positions, cell, pbc, info, arrays, velocities
    in Å/fs) — the C# tests compare MDEngine's readers with these values.

The cycle in the other direction: the C# test MDEngineWrittenFilesTests writes files with MDEngine (extended XYZ
trajectory with info/arrays/momenta/forces/stress, P1 CIF, POSCAR with selective dynamics) together with
expected.json holding MDEngine's own reading of them, and requires the committed copies in
data/io/mdengine_written/ to be identical. After a deliberate format change, regenerate them with

    MDENGINE_WRITE_REFERENCE=$PWD/tests/MDEngine.Tests/data/io \
        dotnet test tests/MDEngine.Tests --filter FullyQualifiedName~MDEngineWrittenFilesTests

and run this script with --check: ASE must read the same numbers (to 1e-12 relative), the same info values (with
their types), per-atom arrays and selective-dynamics flags.
"""
import json
import os
import sys

import numpy as np
from ase import Atoms
from ase.build import bulk
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import read, write
from ase.units import fs

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'tests', 'MDEngine.Tests', 'data', 'io')


def describe(atoms):
    """What ASE reads: the values the C# tests compare with."""
    d = {
        'numbers': atoms.numbers.tolist(),
        'positions': atoms.positions.tolist(),
        'cell': atoms.cell.array.tolist(),
        'pbc': atoms.pbc.tolist(),
        'masses': atoms.get_masses().tolist(),
    }
    if 'momenta' in atoms.arrays:
        d['velocities_A_per_fs'] = (atoms.get_velocities() * fs).tolist()
    info = {}
    for k, v in atoms.info.items():
        if isinstance(v, (bool, np.bool_)):
            info[k] = bool(v)
        elif isinstance(v, (int, np.integer)):
            info[k] = int(v)
        elif isinstance(v, (float, np.floating)):
            info[k] = float(v)
        elif isinstance(v, str):
            info[k] = v
        elif isinstance(v, np.ndarray):
            info[k] = v.ravel().tolist()
        elif isinstance(v, list):
            info[k] = [bool(x) if isinstance(x, (bool, np.bool_)) else x for x in v]
    d['info'] = info
    if atoms.calc is not None:
        r = atoms.calc.results
        if 'energy' in r:
            d['energy'] = float(r['energy'])
        if 'stress' in r:
            d['stress_voigt'] = np.asarray(r['stress']).tolist()
        if 'forces' in r:
            d['forces'] = np.asarray(r['forces']).tolist()
    arrays = {}
    for k, v in atoms.arrays.items():
        if k in ('numbers', 'positions', 'momenta', 'masses'):
            continue
        arrays[k] = np.asarray(v).ravel().tolist() if v.dtype.kind != 'U' else [str(x) for x in v]
    d['arrays'] = arrays
    return d


def extxyz_frames():
    rng = np.random.default_rng(7)
    frames = []
    a = bulk('Cu', 'fcc', a=3.615, cubic=True).repeat((2, 1, 1))
    a.rattle(0.05, seed=1)
    a.set_velocities(rng.normal(size=(len(a), 3)) * 0.01 / fs)   # 0.01 Å/fs
    a.new_array('tag_int', np.arange(len(a), dtype=int))
    a.new_array('flag', np.array([i % 2 == 0 for i in range(len(a))]))
    a.new_array('label', np.array(['x%d' % i for i in range(len(a))]))
    a.new_array('vec2', rng.normal(size=(len(a), 2)))
    a.info['step'] = 3
    a.info['temperature'] = 301.25
    a.info['note'] = 'relaxed with care'
    a.info['flags'] = np.array([True, False, True])
    a.info['kpts'] = np.array([4, 4, 4])
    a.info['weights'] = np.array([0.5, 1.25e-7, 3.0])
    a.calc = SinglePointCalculator(a, energy=-28.123456789012345,
                                   stress=np.array([0.01, -0.02, 0.03, 0.001, -0.002, 0.0035]),
                                   forces=rng.normal(size=(len(a), 3)))
    frames.append(a)
    b = bulk('NaCl', 'rocksalt', a=5.64) * (1, 1, 2)
    b.pbc = [True, True, False]
    b.set_masses([23.0, 35.5] * (len(b) // 2))
    b.calc = SinglePointCalculator(b, energy=-7.0)
    frames.append(b)
    c = Atoms('H2O', positions=[[0, 0, 0.119262], [0, 0.763239, -0.477047], [0, -0.763239, -0.477047]])
    frames.append(c)
    return frames


def write_corpus():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    def record(name, fmt=None, index=':'):
        images = read(os.path.join(OUT, name), index=index, format=fmt)
        expected[name] = [describe(x) for x in images]

    write(os.path.join(OUT, 'multi.extxyz'), extxyz_frames(), format='extxyz')
    record('multi.extxyz', 'extxyz')

    mol = Atoms('CH4', positions=[[0, 0, 0], [0.629, 0.629, 0.629], [-0.629, -0.629, 0.629],
                                  [0.629, -0.629, -0.629], [-0.629, 0.629, -0.629]])
    write(os.path.join(OUT, 'methane.xyz'), mol, format='xyz', comment='methane molecule')
    expected['methane.xyz'] = [describe(read(os.path.join(OUT, 'methane.xyz'), format='xyz'))]

    slab = bulk('Al', 'fcc', a=4.05, cubic=True) * (1, 1, 2)
    slab.pbc = [True, True, False]
    write(os.path.join(OUT, 'vec_cell.extxyz'), slab, format='extxyz', vec_cell=True)
    record('vec_cell.extxyz', 'extxyz')

    if 'cif' in CORPUS_PARTS:
        CORPUS_PARTS['cif'](expected)
    if 'vasp' in CORPUS_PARTS:
        CORPUS_PARTS['vasp'](expected)

    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)


CORPUS_PARTS = {}


def symop_text(rot, trans):
    """'x,-y+1/2,z' text of one operation, as CIF files write them."""
    from fractions import Fraction
    parts = []
    for i in range(3):
        t = ''
        for j, c in enumerate('xyz'):
            if rot[i][j]:
                t += ('+' if rot[i][j] > 0 else '-') + (str(abs(rot[i][j])) if abs(rot[i][j]) != 1 else '') + c
        if abs(trans[i]) > 1e-9:
            t += '+' + str(Fraction(trans[i]).limit_denominator(24))
        parts.append(t.lstrip('+'))
    return ','.join(parts)


def write_si_diamond(path):
    """Conventional diamond Si (a = 5.431 Å) as the asymmetric unit with the 192 operations of Fd-3m (setting 1)."""
    from ase.spacegroup import Spacegroup
    sg = Spacegroup(227, setting=1)
    with open(path, 'w') as f:
        f.write('data_Si_diamond\n_chemical_formula_sum \'Si8\'\n')
        for k in 'abc':
            f.write('_cell_length_%s 5.431\n' % k)
        for k in ('alpha', 'beta', 'gamma'):
            f.write('_cell_angle_%s 90\n' % k)
        f.write("_symmetry_space_group_name_H-M 'F d -3 m'\n_symmetry_Int_Tables_number 227\n")
        f.write('loop_\n_symmetry_equiv_pos_as_xyz\n')
        for rot, trans in sg.get_symop():
            f.write("  '%s'\n" % symop_text(rot, trans))
        f.write('loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n'
                '_atom_site_fract_z\n_atom_site_occupancy\nSi1 Si 0.0 0.0 0.0 1.0\n')


def cif_part(expected):
    from ase.io.cif import parse_cif
    from ase.spacegroup import Spacegroup
    tri = Atoms('Mg2SiO4', scaled_positions=[[0.1, 0.2, 0.3], [0.6, 0.7, 0.8], [0.25, 0.5, 0.75],
                                            [0.9, 0.05, 0.4], [0.33, 0.66, 0.12], [0.71, 0.29, 0.58],
                                            [0.05, 0.95, 0.5]],
                cell=[[5.1, 0, 0], [1.2, 6.3, 0], [-0.7, 0.9, 7.4]], pbc=True)
    write(os.path.join(OUT, 'ase_triclinic.cif'), tri)
    expected['ase_triclinic.cif'] = [describe(read(os.path.join(OUT, 'ase_triclinic.cif')))]
    write_si_diamond(os.path.join(OUT, 'si_fd3m.cif'))
    expected['si_fd3m.cif'] = [describe(read(os.path.join(OUT, 'si_fd3m.cif')))]
    # Hand-written CIFs: ASE reads the rutile block; the NaCl block (operations without a space-group name, which
    # ASE 3.22 cannot read) is checked by hand in the tests.
    blocks = parse_cif(os.path.join(OUT, 'cif_hand', 'awkward.cif'))
    expected['cif_hand/awkward.cif#rutile'] = [describe(b.get_atoms()) for b in blocks if b.name == 'rutile']
    for name in ('wurtzite_cod_style.cif', 'cscl_pymatgen_style.cif'):
        expected['cif_hand/' + name] = [describe(read(os.path.join(OUT, 'cif_hand', name)))]
    expected['cif_hand/symbol_only.cif'] = [describe(read(os.path.join(OUT, 'cif_hand', 'symbol_only.cif')))]
    expected['spacegroup_225_operations'] = [{'R': r.tolist(), 't': t.tolist()} for r, t in Spacegroup(225).get_symop()]


def free_flags(atoms):
    """Selective-dynamics flags (True = free) from ASE's FixAtoms/FixScaled constraints."""
    from ase.constraints import FixAtoms, FixScaled
    free = np.ones((len(atoms), 3), dtype=bool)
    for c in atoms.constraints:
        if isinstance(c, FixAtoms):
            free[c.index] = False
        elif isinstance(c, FixScaled):
            free[c.a] &= ~np.asarray(c.mask)
    return free


def vasp_part(expected):
    from ase.constraints import FixAtoms, FixScaled
    a = bulk('GaAs', 'zincblende', a=5.65) * (2, 1, 1)
    a.cell[2] += [0.3, 0.1, 0.0]
    a.rattle(0.02, seed=3)
    write(os.path.join(OUT, 'POSCAR_direct'), a, format='vasp', direct=True)
    write(os.path.join(OUT, 'POSCAR_cartesian'), a, format='vasp', direct=False)
    write(os.path.join(OUT, 'POSCAR_vasp4'), a, format='vasp', vasp5=False)
    b = a.copy()
    b.set_constraint([FixAtoms(indices=[0, 3]), FixScaled(a.cell, 1, [True, False, True])])
    write(os.path.join(OUT, 'POSCAR_selective'), b, format='vasp', direct=True)
    for name in ('POSCAR_direct', 'POSCAR_cartesian', 'POSCAR_vasp4', 'POSCAR_selective'):
        atoms = read(os.path.join(OUT, name), format='vasp')
        d = describe(atoms)
        d['selective_free'] = free_flags(atoms).ravel().tolist()
        expected[name] = [d]


CORPUS_PARTS['cif'] = cif_part
CORPUS_PARTS['vasp'] = vasp_part


def check_mdengine_written():
    """ASE must read the files MDEngine wrote with the values MDEngine meant."""
    folder = os.path.join(OUT, 'mdengine_written')
    with open(os.path.join(folder, 'expected.json')) as f:
        meant = json.load(f)
    bad = 0
    for name, frames in meant.items():
        fmt = {'.extxyz': 'extxyz', '.cif': 'cif', '.vasp': 'vasp'}[os.path.splitext(name)[1]]
        images = read(os.path.join(folder, name), index=':', format=fmt)
        assert len(images) == len(frames), name
        for atoms, m in zip(images, frames):
            checks = [('numbers', atoms.numbers, m['numbers']), ('positions', atoms.positions, m['positions']),
                      ('cell', atoms.cell.array, m['cell']), ('masses', atoms.get_masses(), m['masses'])]
            if 'velocities_A_per_fs' in m:
                checks.append(('velocities', atoms.get_velocities() * fs, m['velocities_A_per_fs']))
            if 'energy' in m:
                checks.append(('energy', atoms.get_potential_energy(), m['energy']))
            if 'stress_voigt' in m:
                checks.append(('stress', atoms.get_stress(), m['stress_voigt']))
            if 'forces' in m:
                checks.append(('forces', atoms.get_forces(), m['forces']))
            if list(atoms.pbc) != m['pbc']:
                print(name, 'pbc differs'); bad += 1
            if 'selective_free' in m:
                if free_flags(atoms).ravel().tolist() != m['selective_free']:
                    print(name, 'selective dynamics flags differ'); bad += 1
            for key, want in m.get('info', {}).items():
                got = atoms.info.get(key)
                same = (np.array_equal(np.asarray(got), np.asarray(want)) if not isinstance(want, str) else got == want)
                if not same or type(np.asarray(got).ravel()[0].item() if not isinstance(want, str) else got) != (
                        type(np.asarray(want).ravel()[0].item()) if not isinstance(want, str) else str):
                    print(name, 'info', key, 'differs:', got, want); bad += 1
            for key, want in m.get('arrays', {}).items():
                got = atoms.arrays.get(key)
                if got is None or not np.array_equal(np.asarray(got).ravel(), np.asarray(want)):
                    print(name, 'array', key, 'differs'); bad += 1
            for what, got, want in checks:
                got, want = np.asarray(got, float), np.asarray(want, float)
                if got.shape != want.shape or not np.allclose(got, want, rtol=1e-12, atol=1e-12):
                    print(name, what, 'differs: max', np.max(np.abs(got - want)) if got.shape == want.shape else got.shape)
                    bad += 1
        print(name, 'checked')
    if bad:
        sys.exit(1)
    print('ASE reads every MDEngine-written file with the same values')


if __name__ == '__main__':
    write_corpus()
    if '--check' in sys.argv:
        check_mdengine_written()
