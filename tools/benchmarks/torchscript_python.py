"""Times Python torch on the deployed TorchScript files MDEngine's benchmark uses, on the same input tensors (the
torchscript_reference inputs of ../shared/realmodels), one thread, so the two can be compared in one run.

Run from the repository root with Debian's torch (MDEngine's benchmark test starts it itself):
    /usr/bin/python3 tools/benchmarks/torchscript_python.py [repeats]
Prints one line per model: `name median_s min_s` (the model call alone, forces included; inputs built beforehand).
"""
import os
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "realmodels")
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def timed(call):
    call()   # the first call compiles and optimises the graph
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), float(np.min(times))


def sevennet():
    d = os.path.join(ROOT, "sevennet-example-HfO2")
    ref = np.load(os.path.join(d, "torchscript_reference", "sevennet_hfo2_reference.npz"))
    model = torch.jit.load(os.path.join(d, "deployed_serial.pt"), map_location="cpu")
    keys = ["x", "pos", "edge_index", "num_atoms", "cell_lattice_vectors", "cell_volume", "pbc_shift"]

    def call():
        data = {k: torch.tensor(ref["in_" + k]) for k in keys}
        data["pos"].requires_grad_(True)
        model(data)
    return timed(call)


def mace():
    d = os.path.join(ROOT, "mace-tutorial-solvent-xtb")
    ref = np.load(os.path.join(d, "torchscript_reference", "mace01_swa_compiled_reference.npz"))
    model = torch.jit.load(os.path.join(d, "mace01_swa_compiled.model"), map_location="cpu")
    keys = ["positions", "node_attrs", "edge_index", "shifts", "unit_shifts", "cell", "batch", "ptr"]

    def call():
        data = {k: torch.tensor(ref["in_" + k]) for k in keys}
        model(data, training=False, compute_force=True, compute_virials=False, compute_stress=False)
    return timed(call)


if __name__ == "__main__":
    for name, run in [("sevennet", sevennet), ("mace", mace)]:
        median, best = run()
        print(f"{name} {median:.6f} {best:.6f}", flush=True)
