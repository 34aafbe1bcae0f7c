#!/usr/bin/python3
"""ASE's own loop over the structures of a campaign, one at a time, for comparison with `mdengine campaign --cell`:

    /usr/bin/python3 tools/bench/ase_relax.py CELLDIR POTENTIAL [--count K] [--fmax 0.05] [--steps 500]

Reads the first K frames of the extended XYZ files in CELLDIR (name order, as mdengine's campaign reads a folder),
relaxes each with ASE 3.22's FIRE on an ExpCellFilter, energies and forces from ASE's EAM calculator reading
POTENTIAL (the same .eam.alloy file; its forces loop extended to sum the virial, as ASE's EAM has no stress), and
prints the structures per second, the mean time per structure and the
optimizer steps. Nothing is written to disk (logfile=None), as the campaign's cost is the relaxation.
"""
import argparse
import glob
import os
import time

import numpy as np
from ase.calculators.calculator import all_changes
from ase.calculators.eam import EAM
from ase.constraints import ExpCellFilter
from ase.io import read
from ase.optimize import FIRE


class StressEAM(EAM):
    """ASE 3.22's EAM calculator, whose forces loop also sums the virial: ASE's EAM has no stress, and a cell filter
    needs one. Same splines, same neighbor list, same per-pair derivative (dE/dr of the pair i-j) as its forces; the
    stress, ASE's sign, is sum over pairs of dE/dr * (r_a r_b / r) / V (each pair seen from both atoms, halved)."""

    implemented_properties = ["energy", "forces", "stress"]

    def calculate(self, atoms=None, properties=["energy"], system_changes=all_changes):
        # Energy, forces and stress in one go: a cell filter asks for all three at every step.
        super().calculate(atoms, ["energy", "forces"], system_changes)

    def calculate_forces(self, atoms):
        self.update(atoms)
        forces = np.zeros((len(atoms), 3))
        virial = np.zeros((3, 3))
        cell = atoms.get_cell()
        for i in range(len(atoms)):
            neighbors, offsets = self.neighbors.get_neighbors(i)
            rvec = atoms.positions[neighbors] + np.dot(offsets, cell) - atoms.positions[i]
            r = np.sqrt(np.sum(np.square(rvec), axis=1))
            nearest = r < self.cutoff
            d_embedded_i = self.d_embedded_energy[self.index[i]](self.total_density[i])
            unit = rvec / r[:, np.newaxis]
            for j_index in range(self.Nelements):
                use = nearest & (self.index[neighbors] == j_index)
                if not use.any():
                    continue
                rn = r[use]
                density_j = self.total_density[neighbors[use]]
                if self.form == "fs":
                    scale = (self.d_phi[self.index[i], j_index](rn)
                             + d_embedded_i * self.d_electron_density[j_index, self.index[i]](rn)
                             + self.d_embedded_energy[j_index](density_j) * self.d_electron_density[self.index[i], j_index](rn))
                else:
                    scale = (self.d_phi[self.index[i], j_index](rn)
                             + d_embedded_i * self.d_electron_density[j_index](rn)
                             + self.d_embedded_energy[j_index](density_j) * self.d_electron_density[self.index[i]](rn))
                forces[i] += np.dot(scale, unit[use])
                virial += np.einsum("k,ka,kb->ab", scale, rvec[use], unit[use]) / 2
        self.results["forces"] = forces
        stress = virial / atoms.get_volume()
        self.results["stress"] = np.array([stress[0, 0], stress[1, 1], stress[2, 2], stress[1, 2], stress[0, 2], stress[0, 1]])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("celldir")
    p.add_argument("potential")
    p.add_argument("--count", type=int, default=50)
    p.add_argument("--fmax", type=float, default=0.05)
    p.add_argument("--steps", type=int, default=500)
    a = p.parse_args()
    frames = []
    for path in sorted(glob.glob(os.path.join(a.celldir, "*.extxyz"))):
        frames += read(path, index=":")
        if len(frames) >= a.count:
            break
    frames = frames[:a.count]
    calc = StressEAM(potential=a.potential)
    steps = converged = atoms = 0
    start = time.perf_counter()
    for s in frames:
        s.calc = calc
        opt = FIRE(ExpCellFilter(s), logfile=None)
        converged += bool(opt.run(fmax=a.fmax, steps=a.steps))
        steps += opt.nsteps
        atoms += len(s)
    seconds = time.perf_counter() - start
    print(f"ase: {len(frames)} structures ({atoms} atoms), {converged} converged, {steps} FIRE steps in {seconds:.2f} s: "
          f"{len(frames) / seconds:.3f} structures/s, {seconds / len(frames) * 1000:.1f} ms per structure, "
          f"{seconds / max(steps, 1) * 1000:.2f} ms per step")


if __name__ == "__main__":
    main()
