"""Small TorchScript files with the calling conventions of deployed NequIP/Allegro, SevenNet and MACE models.

The deployed models themselves are large and come from public repositories; these stand-ins are written here, so they
can be committed as test data. Each is one smooth Morse-type pair potential, wrapped in the forward signature, input
keys, metadata (`_extra_files`) and output keys of one family, so the adapters are tested on the conventions (index
order, shift sign, stress sign and Voigt order, per-atom energies, batching) with an energy that the tests also compute
independently:

    E = sum_i E0[s_i] + 1/2 sum_{i != j, images, r_ij < r_c} phi_{s_i s_j}(r_ij)
    phi_ab(r) = D_ab [exp(-2 alpha (r - r0_ab)) - 2 exp(-alpha (r - r0_ab))] (1 - (r / r_c)^2)^2

Rerun (from the repository root; needs Debian's python3-torch):
    /usr/bin/python3 tools/reference/torchscript_standins.py
It rewrites tests/MDEngine.ML.Tests/data/torchscript/*.pt, *.pth, *.model, *.pt2 and standin_parameters.json
(the bytes differ from run to run, the modules and metadata do not).
"""
import json
import os
import zipfile
from typing import Dict, List, Optional

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "MDEngine.ML.Tests", "data", "torchscript")
R_CUT = 4.0
ALPHA = 1.7
ELEMENTS = {"Si": 14, "O": 8}
# Species order of each stand-in, deliberately not by atomic number where the family allows it.
NEQUIP_TYPES = ["Si", "O"]
SEVENNET_TYPES = ["O", "Si"]
MACE_Z = [8, 14]   # mace-torch keeps its z_table sorted
# Pair parameters by element pair (eV, Å) and reference energies (eV).
D = {("Si", "Si"): 0.9, ("Si", "O"): 2.1, ("O", "O"): 0.4}
R0 = {("Si", "Si"): 2.35, ("Si", "O"): 1.62, ("O", "O"): 2.6}
E0 = {"Si": -3.2, "O": -1.5}
# Per-type cutoffs of the per_edge_type_cutoff stand-in, row-major over NEQUIP_TYPES x NEQUIP_TYPES (Si-Si, Si-O, O-Si, O-O).
PER_TYPE_CUTOFF = [4.0, 3.2, 3.2, 2.8]


def pair(a, b, table):
    return table[(a, b)] if (a, b) in table else table[(b, a)]


def tables(symbols, dtype):
    d = torch.tensor([[pair(a, b, D) for b in symbols] for a in symbols], dtype=dtype)
    r0 = torch.tensor([[pair(a, b, R0) for b in symbols] for a in symbols], dtype=dtype)
    e0 = torch.tensor([E0[a] for a in symbols], dtype=dtype)
    return d, r0, e0


class PairEnergy(torch.nn.Module):
    """Per-atom energies from edge vectors: E0 plus half of phi over the edges centred on the atom."""

    def __init__(self, symbols: List[str], dtype: torch.dtype):
        super().__init__()
        d, r0, e0 = tables(symbols, dtype)
        self.register_buffer("depth", d)
        self.register_buffer("r0", r0)
        self.register_buffer("e0", e0)
        self.alpha = ALPHA
        self.r_cut = R_CUT

    def forward(self, species: torch.Tensor, centre: torch.Tensor, neighbour: torch.Tensor, vectors: torch.Tensor) -> torch.Tensor:
        r = torch.linalg.norm(vectors, dim=1)
        a = species[centre]
        b = species[neighbour]
        x = torch.exp(-self.alpha * (r - self.r0[a, b]))
        cut = (1.0 - (r / self.r_cut) ** 2) ** 2
        phi = self.depth[a, b] * (x * x - 2.0 * x) * cut
        return self.e0[species].index_add(0, centre, 0.5 * phi)


def strained(pos: torch.Tensor, cell: torch.Tensor, batch: torch.Tensor, displacement: torch.Tensor):
    """Positions and cells under the homogeneous strain (1 + sym(displacement)), as mace-torch and nequip do it."""
    sym = 0.5 * (displacement + displacement.transpose(-1, -2))
    pos = pos + torch.einsum("ni,nij->nj", pos, sym[batch])
    cell = cell + torch.matmul(cell, sym)
    return pos, cell


class NequipStandIn(torch.nn.Module):
    """nequip-deploy / nequip-compile --mode torchscript: forward(Dict) -> Dict, keys of pair_nequip."""

    def __init__(self):
        super().__init__()
        self.energy = PairEnergy(NEQUIP_TYPES, torch.float64)

    def forward(self, data: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        pos = data["pos"]
        n = pos.shape[0]
        batch = torch.zeros([n], dtype=torch.long, device=pos.device)
        displacement = torch.zeros([1, 3, 3], dtype=pos.dtype, device=pos.device)
        displacement.requires_grad_(True)
        pos.requires_grad_(True)
        p, cell = strained(pos, data["cell"].view(1, 3, 3), batch, displacement)
        i = data["edge_index"][0]
        j = data["edge_index"][1]
        # nequip: edge vector = pos[j] - pos[i] + edge_cell_shift @ cell
        vec = p[j] - p[i] + torch.matmul(data["edge_cell_shift"], cell[0])
        atomic = self.energy(data["atom_types"].view(-1), i, j, vec)
        total = atomic.sum()
        grads = torch.autograd.grad([total], [pos, displacement])
        forces = grads[0]
        virial = grads[1]
        assert forces is not None
        assert virial is not None
        return {"atomic_energy": atomic.unsqueeze(-1), "total_energy": total.view(1, 1), "forces": -forces,
                "virial": -virial, "pos": pos, "edge_index": data["edge_index"]}


class SevenNetStandIn(torch.nn.Module):
    """SevenNet deployed_serial.pt (pair_style e3gnn): forward(Dict) -> Dict, float32."""

    def __init__(self):
        super().__init__()
        self.energy = PairEnergy(SEVENNET_TYPES, torch.float32)

    def forward(self, data: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        pos = data["pos"]   # the caller makes it require grad, as pair_e3gnn does
        n = pos.shape[0]
        batch = torch.zeros([n], dtype=torch.long, device=pos.device)
        strain = torch.zeros([1, 3, 3], dtype=pos.dtype, device=pos.device)
        strain.requires_grad_(True)
        p, cell = strained(pos, data["cell_lattice_vectors"].view(1, 3, 3), batch, strain)
        i = data["edge_index"][0]
        j = data["edge_index"][1]
        vec = p[j] - p[i] + torch.matmul(data["pbc_shift"], cell[0])
        atomic = self.energy(data["x"], i, j, vec)
        total = atomic.sum()
        grads = torch.autograd.grad([total], [pos, strain])
        forces = grads[0]
        dedstrain = grads[1]
        assert forces is not None
        assert dedstrain is not None
        w = dedstrain[0]
        # SevenNet: stress = -(1/V) dE/dstrain in the order xx yy zz xy yz zx
        voigt = torch.stack([w[0, 0], w[1, 1], w[2, 2], w[0, 1], w[1, 2], w[2, 0]])
        stress = -voigt / data["cell_volume"]
        return {"inferred_total_energy": total, "inferred_force": -forces, "inferred_stress": stress,
                "atomic_energy": atomic.unsqueeze(-1), "x": data["x"]}


class MaceCore(torch.nn.Module):
    """The data-dict conventions of mace-torch's models: one-hot node_attrs over atomic_numbers, edge_index rows
    (sender, receiver), vectors = positions[receiver] - positions[sender] + shifts, batch/ptr, cells stacked [3B, 3]."""

    def __init__(self):
        super().__init__()
        self.energy = PairEnergy([s for z in MACE_Z for s, zz in ELEMENTS.items() if zz == z], torch.float64)
        self.register_buffer("atomic_numbers", torch.tensor(MACE_Z, dtype=torch.int64))
        self.register_buffer("r_max", torch.tensor(R_CUT, dtype=torch.float64))
        self.register_buffer("num_interactions", torch.tensor(2, dtype=torch.int64))

    def forward(self, data: Dict[str, torch.Tensor], compute_displacement: bool) -> Dict[str, torch.Tensor]:
        positions = data["positions"]
        positions.requires_grad_(True)
        num_graphs = data["ptr"].numel() - 1
        displacement = torch.zeros([num_graphs, 3, 3], dtype=positions.dtype, device=positions.device)
        sender = data["edge_index"][0]
        receiver = data["edge_index"][1]
        shifts = data["shifts"]
        pos = positions
        if compute_displacement:
            displacement.requires_grad_(True)
            pos, cell = strained(positions, data["cell"].view(-1, 3, 3), data["batch"], displacement)
            shifts = torch.einsum("be,bec->bc", data["unit_shifts"], cell[data["batch"][sender]])
        vectors = pos[receiver] - pos[sender] + shifts
        species = torch.argmax(data["node_attrs"], dim=1)
        node_energy = self.energy(species, receiver, sender, vectors)
        energy = torch.zeros([num_graphs], dtype=node_energy.dtype, device=node_energy.device).index_add(0, data["batch"], node_energy)
        return {"energy": energy, "node_energy": node_energy, "displacement": displacement, "positions": positions}


class MaceScriptStandIn(torch.nn.Module):
    """torch.jit.script of a mace-torch model: forward(data, training, compute_force, compute_virials, ...)."""

    def __init__(self):
        super().__init__()
        self.core = MaceCore()
        self.register_buffer("atomic_numbers", self.core.atomic_numbers.clone())
        self.register_buffer("r_max", self.core.r_max.clone())
        self.register_buffer("num_interactions", self.core.num_interactions.clone())

    def forward(self, data: Dict[str, torch.Tensor], training: bool = False, compute_force: bool = True,
                compute_virials: bool = False, compute_stress: bool = False, compute_displacement: bool = False,
                compute_hessian: bool = False) -> Dict[str, Optional[torch.Tensor]]:
        out = self.core(data, compute_virials or compute_stress or compute_displacement)
        energy = out["energy"]
        forces: Optional[torch.Tensor] = None
        virials: Optional[torch.Tensor] = None
        stress: Optional[torch.Tensor] = None
        if compute_virials or compute_stress:
            g = torch.autograd.grad([energy.sum()], [out["positions"], out["displacement"]])
            f = g[0]
            v = g[1]
            assert f is not None
            assert v is not None
            forces = -f
            virials = -v
            volume = torch.abs(torch.linalg.det(data["cell"].view(-1, 3, 3)))
            s = v / volume.view(-1, 1, 1)
            stress = torch.where(torch.abs(s) < 1e10, s, torch.zeros_like(s))
        elif compute_force:
            f = torch.autograd.grad([energy.sum()], [out["positions"]])[0]
            assert f is not None
            forces = -f
        return {"energy": energy, "node_energy": out["node_energy"], "interaction_energy": energy,
                "forces": forces, "virials": virials, "stress": stress, "hessian": None,
                "displacement": out["displacement"], "node_feats": None}


class LammpsMaceStandIn(torch.nn.Module):
    """mace-torch's create_lammps_model wrapper (LAMMPS_MACE): forward(data, local_or_ghost, compute_virials)."""

    def __init__(self):
        super().__init__()
        self.model = MaceCore()
        self.register_buffer("atomic_numbers", self.model.atomic_numbers.clone())
        self.register_buffer("r_max", self.model.r_max.clone())
        self.register_buffer("num_interactions", self.model.num_interactions.clone())
        self.register_buffer("head", torch.tensor([0], dtype=torch.long))

    def forward(self, data: Dict[str, torch.Tensor], local_or_ghost: torch.Tensor,
                compute_virials: bool = False) -> Dict[str, Optional[torch.Tensor]]:
        num_graphs = data["ptr"].numel() - 1
        data["head"] = self.head
        out = self.model(data, compute_virials)
        node_energy = out["node_energy"]
        total_energy_local = torch.zeros([num_graphs], dtype=node_energy.dtype, device=node_energy.device).index_add(
            0, data["batch"], node_energy * local_or_ghost)
        virials = torch.zeros_like(out["displacement"])
        if compute_virials:
            g = torch.autograd.grad([total_energy_local.sum()], [out["positions"], out["displacement"]])
            f = g[0]
            v = g[1]
            assert f is not None
            assert v is not None
            forces = -f
            virials = -v
        else:
            f = torch.autograd.grad([total_energy_local.sum()], [out["positions"]])[0]
            assert f is not None
            forces = -f
        return {"total_energy_local": total_energy_local, "node_energy": node_energy, "forces": forces, "virials": virials}


class Unknown(torch.nn.Module):
    """A TorchScript file of no supported family: the loader must refuse it, quoting this signature."""

    def forward(self, coordinates: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        return (coordinates * charges.unsqueeze(-1)).sum()


def save(module, name, extra):
    path = os.path.join(OUT, name)
    torch.jit.save(torch.jit.script(module), path, _extra_files=extra)
    print("wrote", path, os.path.getsize(path), "bytes")


def write_aoti_layout(name):
    """The zip layout of an AOTInductor package (torch._inductor.aoti_compile_and_package, nequip-compile
    --mode aotinductor): `archive_format` says `pt2`, the compiled model lies under data/aotinductor/. Torch 1.13 cannot
    make a real one; this file has the layout only, for the loader's refusal."""
    path = os.path.join(OUT, name)
    root = "model"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{root}/archive_format", "pt2")
        z.writestr(f"{root}/archive_version", "0")
        z.writestr(f"{root}/data/aotinductor/model/model.wrapper.cpp", "// compiled model source (layout stand-in)\n")
        z.writestr(f"{root}/extra/metadata.json", json.dumps({"r_max": str(R_CUT), "type_names": " ".join(NEQUIP_TYPES)}))
    print("wrote", path)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    save(NequipStandIn(), "nequip_standin.pth", {
        "r_max": str(R_CUT), "type_names": " ".join(NEQUIP_TYPES), "num_types": str(len(NEQUIP_TYPES)),
        "model_dtype": "float64", "allow_tf32": "0", "nequip_version": "standin"})
    # The same model with per-type cutoffs (row = centre type, column = neighbour type, in type_names order), which
    # pair_nequip applies by dropping longer edges before the call.
    save(NequipStandIn(), "nequip_standin_per_type_cutoff.pth", {
        "r_max": str(R_CUT), "type_names": " ".join(NEQUIP_TYPES), "num_types": str(len(NEQUIP_TYPES)),
        "per_edge_type_cutoff": " ".join(str(c) for c in PER_TYPE_CUTOFF), "model_dtype": "float64", "allow_tf32": "0",
        "nequip_version": "standin"})
    save(SevenNetStandIn(), "sevennet_standin.pt", {
        "chemical_symbols_to_index": " ".join(SEVENNET_TYPES) + " ", "cutoff": str(R_CUT),
        "num_species": str(len(SEVENNET_TYPES)), "model_type": "E3_equivariant_model", "version": "standin",
        "dtype": "single", "time": "standin"})
    save(MaceScriptStandIn(), "mace_standin.model", {})
    save(LammpsMaceStandIn(), "mace_standin-lammps.pt", {})
    save(Unknown(), "unknown_module.pt", {})
    write_aoti_layout("nequip_standin.nequip.pt2")
    with open(os.path.join(OUT, "standin_parameters.json"), "w") as f:
        json.dump({"r_cut": R_CUT, "alpha": ALPHA, "E0": E0, "per_type_cutoff_types": NEQUIP_TYPES, "per_type_cutoff": PER_TYPE_CUTOFF,
                   "pairs": [{"a": a, "b": b, "D": D[(a, b)], "r0": R0[(a, b)]} for (a, b) in D]}, f, indent=1)


if __name__ == "__main__":
    main()
