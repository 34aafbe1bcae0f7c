"""ASE database (.db) reference files, both directions, with Debian's python3-ase (3.22).

ASE writes, MDEngine reads: the frames of data/io/traj/ase_written.extxyz (made by ase_traj.py) go to ase_written.db
with key-value pairs (relaxed=True, steps=12, note='x' on the first row, index on every row); what ASE reads back
is recorded in ase_written_db.json (numbers, positions, cell, pbc, masses, velocities in Å/fs, energy, forces, stress,
key_value_pairs).
MDEngine writes, ASE reads: `mdengine convert ase_written.extxyz mdengine_written.db`; what ASE reads from it is
recorded in mdengine_written_db.json, and what `ase db mdengine_written.db -c ++` prints in mdengine_written_db.txt.

Rerun from the repository root after `dotnet build MDEngine.sln`:
    /usr/bin/python3 tools/reference/ase_db.py
It writes under tests/MDEngine.Tests/data/io/db/.
"""
import json
import os
import subprocess

from ase import units
from ase.db import connect
from ase.io import read

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TRAJ = os.path.join(ROOT, "tests", "MDEngine.Tests", "data", "io", "traj")
OUT = os.path.join(ROOT, "tests", "MDEngine.Tests", "data", "io", "db")
CLI = os.path.join(ROOT, "src", "MDEngine.Cli", "bin", "Debug", "net10.0", "mdengine.dll")


def record(path):
    out = []
    for row in connect(path).select():
        x = row.toatoms()
        d = {"numbers": x.numbers.tolist(), "positions": x.positions.tolist(), "cell": x.cell[:].tolist(),
             "pbc": x.pbc.tolist(), "masses": x.get_masses().tolist(),
             "velocities_fs": (x.get_velocities() * units.fs).tolist(), "key_value_pairs": row.key_value_pairs}
        if row.get("energy") is not None:
            d["energy"] = row.energy
            d["forces"] = row.forces.tolist()
            d["stress"] = row.stress.tolist()
        out.append(d)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    images = read(os.path.join(TRAJ, "ase_written.extxyz"), ":")
    mine = os.path.join(OUT, "ase_written.db")
    if os.path.exists(mine):
        os.remove(mine)
    db = connect(mine)
    for i, atoms in enumerate(images):
        atoms.info.clear()
        extra = {"relaxed": True, "steps": 12, "note": "x"} if i == 0 else {}
        db.write(atoms, index=i, **extra)
    json.dump(record(mine), open(os.path.join(OUT, "ase_written_db.json"), "w"), indent=1)

    written = os.path.join(OUT, "mdengine_written.db")
    if os.path.exists(written):
        os.remove(written)
    subprocess.run(["dotnet", CLI, "convert", os.path.join(TRAJ, "ase_written.extxyz"), written], check=True)
    json.dump(record(written), open(os.path.join(OUT, "mdengine_written_db.json"), "w"), indent=1)
    listing = subprocess.run(["/usr/bin/python3", "-m", "ase", "db", written, "-c", "id,formula,energy,fmax,step,source"],
                             check=True, capture_output=True, text=True).stdout
    # The age column depends on when this ran: the listing keeps the columns that do not.
    with open(os.path.join(OUT, "mdengine_written_db.txt"), "w") as f:
        f.write(listing)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
