#!/usr/bin/env python3
"""Export a mace-torch model to MDEngine's MACE format: hyperparameters (JSON) + state_dict (safetensors, float64).

Usage (needs torch and mace-torch, e.g. `pip install mace-torch`):

    python tools/mace_export.py 2023-12-03-mace-128-L1_epoch-199.model mace-mp-medium.json

writes mace-mp-medium.json and, next to it, mace-mp-medium.safetensors. Evaluate with
`mdengine eval structure.cif --potential mace-mp-medium.json` or `MacePotential.Load("mace-mp-medium.json")`.

The JSON holds the constructor arguments under mace-torch's names (r_max, num_bessel, num_polynomial_cutoff, max_ell,
interaction_cls, interaction_cls_first, num_interactions, hidden_irreps, MLP_irreps, gate, atomic_energies,
avg_num_neighbors, atomic_numbers, correlation, radial_type, radial_MLP) plus scale and shift of ScaleShiftMACE.
The safetensors file holds the whole state_dict, including the constants that depend on the e3nn version
(Wigner 3j blocks of the tensor products, U matrices of the symmetric contractions), so that the evaluator uses
exactly the numbers the model was trained with.

Only the architecture MDEngine implements is exported (ScaleShiftMACE/MACE with RealAgnosticResidualInteractionBlock,
Bessel radial basis, SiLU gates, one head); anything else stops with a message naming the unsupported part.
"""
import argparse
import json
import struct
import sys

import torch


def fail(message):
    sys.exit(f"mace_export: {message}")


def hyperparameters(model):
    name = type(model).__name__
    if name not in ("ScaleShiftMACE", "MACE"):
        fail(f"model type {name} is not supported (ScaleShiftMACE or MACE)")
    heads = getattr(model, "heads", None)
    if heads is not None and len(heads) > 1:
        fail(f"multi-head models are not supported (heads: {heads})")
    if getattr(model, "pair_repulsion", False) or hasattr(model, "pair_repulsion_fn"):
        fail("pair repulsion (ZBL) is not supported")
    # Options of newer mace-torch versions that change the architecture (absent from the MACE-MP-0 models).
    for option in ("use_so3", "use_agnostic_product", "use_last_readout_only"):
        if getattr(model, option, False):
            fail(f"{option}=True is not supported")
    if getattr(model, "edge_irreps", None) is not None:
        fail("edge_irreps is not supported")
    if not getattr(model, "apply_cutoff", True):
        fail("apply_cutoff=False is not supported")
    if hasattr(model, "joint_embedding"):
        fail("embedding_specs (joint embeddings) are not supported")
    radial = model.radial_embedding
    if getattr(radial, "distance_transform", None) not in (None, "None"):
        fail(f"distance transform {type(radial.distance_transform).__name__} is not supported")
    if type(radial.bessel_fn).__name__ != "BesselBasis":
        fail(f"radial basis {type(radial.bessel_fn).__name__} is not supported (BesselBasis)")
    interactions = [type(block).__name__ for block in model.interactions]
    for cls in interactions:
        if cls != "RealAgnosticResidualInteractionBlock":
            fail(f"interaction {cls} is not supported (RealAgnosticResidualInteractionBlock)")
    mlp = model.interactions[0].conv_tp_weights
    widths = [layer.weight.shape[1] for layer in mlp] if hasattr(mlp, "__iter__") else None
    if widths is None:
        widths = [getattr(mlp, f"layer{k}").weight.shape[1] for k in range(len(list(mlp.children())))]
    readout = model.readouts[-1]
    gate = "silu"
    acts = getattr(getattr(readout, "non_linearity", None), "acts", [])
    for act in acts:
        f = getattr(act, "f", act)
        if getattr(f, "__name__", "silu") != "silu":
            fail(f"gate {getattr(f, '__name__', f)} is not supported (silu)")
    energies = model.atomic_energies_fn.atomic_energies.detach().double().reshape(-1).tolist()
    scale, shift = 1.0, 0.0
    if name == "ScaleShiftMACE":
        scale = model.scale_shift.scale.detach().double().reshape(-1)
        shift = model.scale_shift.shift.detach().double().reshape(-1)
        if scale.numel() != 1 or shift.numel() != 1:
            fail("per-head scale/shift is not supported")
        scale, shift = float(scale[0]), float(shift[0])
    return {
        "model_type": name,
        "r_max": float(model.r_max),
        "num_bessel": int(radial.bessel_fn.bessel_weights.numel()),
        "num_polynomial_cutoff": int(radial.cutoff_fn.p),
        "max_ell": int(model.spherical_harmonics._lmax),
        "interaction_cls": interactions[-1],
        "interaction_cls_first": interactions[0],
        "num_interactions": int(model.num_interactions),
        "hidden_irreps": str(model.products[0].linear.irreps_out),
        "MLP_irreps": str(readout.linear_1.irreps_out),
        "gate": gate,
        "atomic_energies": energies,
        "avg_num_neighbors": float(model.interactions[0].avg_num_neighbors),
        "atomic_numbers": [int(z) for z in model.atomic_numbers],
        "correlation": [len(p.symmetric_contractions.contractions[0].weights) + 1 for p in model.products],
        "radial_type": "bessel",
        "radial_MLP": widths[:-1],
        "scale": scale,
        "shift": shift,
    }


DTYPES = {torch.float64: "F64", torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL"}


def save_safetensors(tensors, path):
    """The safetensors layout: 8-byte little-endian header size, JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().cpu()
        if t.is_floating_point():
            t = t.double()
        if t.dtype not in DTYPES:
            fail(f"tensor {name} has unsupported dtype {t.dtype}")
        data = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="mace-torch model file (torch.save of the model, e.g. MACE-MP-0 *.model)")
    parser.add_argument("output", help="output JSON path; the weights go next to it with the extension .safetensors")
    args = parser.parse_args()
    model = torch.load(args.model, map_location="cpu", weights_only=False)
    model = model.double().eval()
    params = hyperparameters(model)
    if not args.output.endswith(".json"):
        fail("the output path must end in .json")
    weights_path = args.output[: -len(".json")] + ".safetensors"
    save_safetensors(model.state_dict(), weights_path)
    with open(args.output, "w") as f:
        json.dump(params, f, indent=1)
    print(f"wrote {args.output} and {weights_path}: {params['hidden_irreps']}, r_max {params['r_max']}, "
          f"{len(params['atomic_numbers'])} elements")


if __name__ == "__main__":
    main()
