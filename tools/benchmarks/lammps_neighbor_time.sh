#!/usr/bin/env bash
# LAMMPS's own half-list build time for its bench/in.lj system (32,000 LJ atoms, fcc at reduced density 0.8442,
# cutoff 2.5σ + 0.3σ skin), to compare with MDEngine's LammpsLjNeighborBenchmark on the same machine.
#
# Two measures, both single-process, single-thread:
#  1. the "Neigh" line of LAMMPS's timing breakdown (wall clock, 5 builds in 100 steps), and
#  2. process CPU time: the same 100 steps run with a rebuild every step and with none; the difference over
#     100 builds is the CPU time of one build, which stays meaningful when the machine is shared.
# Usage: bash tools/benchmarks/lammps_neighbor_time.sh [lmp executable]
set -euo pipefail
LMP=${1:-lmp}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
input() {
  cat <<IN
units lj
atom_style atomic
lattice fcc 0.8442
region box block 0 20 0 20 0 20
create_box 1 box
create_atoms 1 box
mass 1 1.0
velocity all create 1.44 87287 loop geom
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
neighbor 0.3 bin
neigh_modify delay 0 every $1 check no
fix 1 all nve
run 100
IN
}
input 20 > "$dir/in.every20"
input 1 > "$dir/in.every1"
input 1000 > "$dir/in.never"
export OMP_NUM_THREADS=1
echo "== in.lj as in LAMMPS's bench (rebuild every 20 steps)"
"$LMP" -in "$dir/in.every20" -log none | grep -E "^Neigh |Neighbor list builds|Total # of neighbors|CPU use"
cpu() { /usr/bin/time -f "%U %S" "$LMP" -in "$1" -log none 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
every1=$(cpu "$dir/in.every1")
never=$(cpu "$dir/in.never")
echo "== CPU time: 100 steps with a build every step ${every1} s, with no build ${never} s"
awk -v a="$every1" -v b="$never" 'BEGIN { t = (a - b) / 100; printf "LAMMPS CPU time per half-list build: %.1f ms (%.1f M pairs/s for 1,202,833 pairs)\n", 1000 * t, 1.202833 / t }'
