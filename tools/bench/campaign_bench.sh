#!/bin/bash
# Campaign benchmarks recorded in docs/benchmarks.md ("Relaxation campaigns"):
#  1. 1,000 and 10,000 rattled metal cells (2-32 atoms, fcc/bcc/hcp Cu/Ag/Au/Ni/Pd/Pt/Al) relaxed with the cell filter
#     into an ASE database with the shipped Zhou EAM: wall time, structures/s and peak memory (/usr/bin/time -v);
#  2. ASE 3.22's own loop (FIRE + ExpCellFilter, its EAM calculator on the same file) on the first ASE_COUNT of them,
#     against mdengine on the same structures;
#  3. the small MACE test model on rattled Si cells at atom budgets 1 to 4,096 and auto: atoms evaluated per second.
#
#   tools/bench/campaign_bench.sh [WORKDIR]        (MDENGINE=path/to/published/mdengine, else it publishes one)
#
# Everything runs under nice; the load (uptime) is printed before and after, as the machine may be shared.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mkdir -p "${1:-/tmp/mdengine-campaign-bench}" && cd "${1:-/tmp/mdengine-campaign-bench}" && pwd)
ase_count=${ASE_COUNT:-8}
mace_cells=${MACE_CELLS:-300}
if [ -z "${MDENGINE:-}" ]; then
    dotnet publish "$repo/src/MDEngine.Cli" -c Release -o "$work/mdengine" --nologo -v quiet
    MDENGINE="$work/mdengine/mdengine"
fi
eam="$repo/potentials/CuAgAuNiPdPtAl_Zhou04.eam.alloy"
mace="mace:$repo/tests/MDEngine.ML.Tests/data/mace/model.json"
cd "$work"
rm -rf ./*.db cells* si*
echo "== load before"; uptime; nproc

/usr/bin/python3 "$repo/tools/bench/make_cells.py" 10000 cells10000
/usr/bin/python3 "$repo/tools/bench/make_cells.py" 1000 cells1000
/usr/bin/python3 "$repo/tools/bench/make_cells.py" "$ase_count" "cells$ase_count"

for n in 1000 10000; do
    echo "== EAM campaign, $n cells, --cell"
    /usr/bin/time -v -o "time$n.txt" nice "$MDENGINE" campaign "cells$n" --db "eam$n.db" --potential "$eam" --cell \
        --progress-every 100000 > "campaign$n.log" || true
    grep -E "batch|potential:|relaxed|structures/s" "campaign$n.log"
    grep -E "Elapsed \(wall|Maximum resident" "time$n.txt"
done

echo "== mdengine on the first $ase_count cells (one process, startup included)"
/usr/bin/time -v -o "time-small.txt" nice "$MDENGINE" campaign "cells$ase_count" --db "eam-small.db" --potential "$eam" --cell \
    --progress-every 100000 | grep -E "relaxed|structures/s"
grep -E "Elapsed \(wall" time-small.txt
echo "== ASE 3.22 on the same $ase_count cells"
nice /usr/bin/python3 "$repo/tools/bench/ase_relax.py" "cells$ase_count" "$eam" --count "$ase_count"

echo "== MACE (small test model, float64) on $mace_cells Si cells, 2 FIRE steps each, --cell"
/usr/bin/python3 "$repo/tools/bench/make_cells.py" "$mace_cells" si --silicon
for budget in 1 4 16 64 256 1024 4096 auto; do
    echo "-- --batch-atoms $budget"
    nice "$MDENGINE" campaign si --db "mace-$budget.db" --potential "$mace" --cell --steps 2 --fmax 1e-9 --batch-atoms "$budget" \
        --progress-every 100000 | grep -E "batch|structures/s" || true
done
echo "== load after"; uptime
