#!/usr/bin/env python3
"""The safetensors writer of tools/mace_export.py against MDEngine's reader.

Writes a synthetic state_dict through mace_export.save_safetensors (float32 and float64 weights of several shapes,
a 0-d buffer, int64 and int32 buffers, a bool mask, a non-contiguous view) to
tests/MDEngine.ML.Tests/data/mace/export_roundtrip.safetensors, and the values the file must hold (floating tensors
widened to float64, as the exporter writes them) to export_roundtrip.json beside it. The test
MDEngine.ML.Tests.Mace.ExportFormatTests reads both.

Rerun (needs torch, e.g. Debian's python3-torch): /usr/bin/python3 tools/reference/mace_export_roundtrip.py
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import mace_export  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "tests", "MDEngine.ML.Tests", "data", "mace")


def main():
    g = torch.Generator().manual_seed(20261124)
    base = torch.randn(4, 6, generator=g, dtype=torch.float64)
    tensors = {
        "interactions.0.linear.weight": torch.randn(32, 16, generator=g, dtype=torch.float32),
        "products.0.symmetric_contractions.contractions.0.U_matrix_3": torch.randn(3, 4, 4, 4, 5, generator=g, dtype=torch.float64),
        "radial_embedding.bessel_fn.bessel_weights": torch.linspace(0.5, 4.0, 8, dtype=torch.float64),
        "r_max": torch.tensor(5.0, dtype=torch.float64),
        "atomic_numbers": torch.tensor([8, 14], dtype=torch.int64),
        "num_interactions": torch.tensor(2, dtype=torch.int32),
        "mask": torch.tensor([True, False, True]),
        "transposed_view": base.t(),
    }
    os.makedirs(OUT, exist_ok=True)
    mace_export.save_safetensors(tensors, os.path.join(OUT, "export_roundtrip.safetensors"))
    expected = {}
    for name, t in tensors.items():
        dtype = "F64" if t.is_floating_point() else {torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL"}[t.dtype]
        values = t.double() if t.is_floating_point() else t.to(torch.int64)
        expected[name] = {"dtype": dtype, "shape": list(t.shape), "values": [float(v) for v in values.contiguous().reshape(-1).tolist()]}
    with open(os.path.join(OUT, "export_roundtrip.json"), "w") as f:
        json.dump({"torch": torch.__version__, "tensors": expected}, f, indent=1)
    print(f"wrote {len(tensors)} tensors with torch {torch.__version__}")


if __name__ == "__main__":
    main()
