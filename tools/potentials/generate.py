#!/usr/bin/env python3
"""Generates the potential files shipped in potentials/ from published parameters (plain Python 3, no packages).

EAM (setfl, LAMMPS `pair_style eam/alloy`), from the analytic forms of
    X. W. Zhou, R. A. Johnson, H. N. G. Wadley, Phys. Rev. B 69, 144113 (2004), "Misfit-energy-increasing
    dislocations in vapor-deposited CoFe/NiFe multilayers", its parameter table and Eqs. (1)-(6)
    (values cross-checked against the EAM_code table of LAMMPS's tools/eam_database):
  pair     phi(r) = A exp[-alpha (r/re - 1)] / (1 + (r/re - kappa)^20) - B exp[-beta (r/re - 1)] / (1 + (r/re - lambda)^20)
  density  f(r)   = fe exp[-beta (r/re - 1)] / (1 + (r/re - lambda)^20)
  embedding, with rho_n = 0.85 rho_e and rho_0 = 1.15 rho_e:
    rho <  rho_n:          F = sum_i Fn_i (rho/rho_n - 1)^i                 (i = 0..3)
    rho_n <= rho < rho_0:  F = sum_i F_i (rho/rho_e - 1)^i                  (i = 0..3)
    rho >= rho_0:          F = Fe [1 - ln((rho/rho_s)^eta)] (rho/rho_s)^eta
  alloys: phi_ab(r) = 1/2 [f_b(r)/f_a(r) phi_aa(r) + f_a(r)/f_b(r) phi_bb(r)]  (Eq. 6).
For Pt the table's F3 and Fn_i make F continuous at 0.25 rho_e, not at 0.85 rho_e (the tabulated Fn0 equals the
middle branch there, see check_embedding_continuity); Pt therefore uses rho_n = 0.25 rho_e, as the corrected
parameter set distributed with LAMMPS's EAM database tool does.
Tabulation as Zhou's generator: Nr = Nrho = 2000, cutoff rc = sqrt(10)/2 * a_max (a = sqrt(2) re, the largest fcc
lattice constant of the file's elements), dr = rc/(Nr-1), r < 0.5 A evaluated at 0.5 A, rho_max = max(largest
tabulated f, 2 rho_e max, 100), drho = rho_max/(Nrho-1).

Stillinger-Weber silicon (LAMMPS `pair_style sw` format) from
    F. H. Stillinger, T. A. Weber, Phys. Rev. B 31, 5262 (1985):
  epsilon = 50 kcal/mol = 2.1683 eV, sigma = 2.0951 A, a = 1.80, lambda = 21.0, gamma = 1.20, cos(theta0) = -1/3,
  A = 7.049556277, B = 0.6022245584, p = 4, q = 0.

Run from the repository root:  python3 tools/potentials/generate.py  (writes potentials/*).
"""
import math
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "potentials")

# Zhou, Johnson, Wadley, PRB 69, 144113 (2004), parameter table.
# columns: re fe rho_e rho_s alpha beta A B kappa lambda Fn0 Fn1 Fn2 Fn3 F0 F1 F2 F3 eta Fe ; then Z, mass (amu)
ZHOU = {
    "Cu": (2.556162, 1.554485, 21.175871, 21.175395, 8.127620, 4.334731, 0.396620, 0.548085, 0.308782, 0.756515,
           -2.170269, -0.263788, 1.088878, -0.817603, -2.19, 0.0, 0.561830, -2.100595, 0.310490, -2.186568, 29, 63.546),
    "Ag": (2.891814, 1.106232, 14.604100, 14.604144, 9.132010, 4.870405, 0.277758, 0.419611, 0.339710, 0.750758,
           -1.729364, -0.255882, 0.912050, -0.561432, -1.75, 0.0, 0.744561, -1.150650, 0.783924, -1.748423, 47, 107.8682),
    "Au": (2.885034, 1.529021, 19.991632, 19.991509, 9.516052, 5.075228, 0.229762, 0.356666, 0.356570, 0.748798,
           -2.937772, -0.500288, 1.601954, -0.835530, -2.98, 0.0, 1.706587, -1.134778, 1.021095, -2.978815, 79, 196.96654),
    "Ni": (2.488746, 2.007018, 27.562015, 27.562031, 8.383453, 4.471175, 0.429046, 0.633531, 0.443599, 0.820658,
           -2.693513, -0.076445, 0.241442, -2.375626, -2.70, 0.0, 0.265390, -0.152856, 0.445470, -2.7, 28, 58.6934),
    "Pd": (2.750897, 1.595417, 21.335246, 21.940073, 8.697397, 4.638612, 0.406763, 0.598880, 0.397263, 0.754799,
           -2.321006, -0.473983, 1.615343, -0.231681, -2.36, 0.0, 1.481742, -1.675615, 1.130000, -2.352753, 46, 106.42),
    "Pt": (2.771916, 2.336509, 33.367564, 35.205357, 7.105782, 3.789750, 0.556398, 0.696037, 0.385255, 0.770510,
           -1.455568, -2.149952, 0.528491, 1.222875, -4.17, 0.0, 3.010561, -2.420128, 1.450000, -4.145597, 78, 195.08),
    "Al": (2.863924, 1.403115, 20.418205, 23.195740, 6.613165, 3.527021, 0.314873, 0.365551, 0.379846, 0.759692,
           -2.807602, -0.301435, 1.258562, -1.247604, -2.83, 0.0, 0.622245, -2.488244, 0.785902, -2.824528, 13, 26.981539),
}
# rho_n / rho_e (see the module docstring for Pt).
RHO_N_FRACTION = {"Pt": 0.25}
RHO_0_FRACTION = 1.15
ORDER = ["Cu", "Ag", "Au", "Ni", "Pd", "Pt", "Al"]
NR = NRHO = 2000
R_MIN = 0.5


class Zhou:
    def __init__(self, symbol):
        p = ZHOU[symbol]
        self.symbol = symbol
        (self.re, self.fe, self.rhoe, self.rhos, self.alpha, self.beta, self.A, self.B, self.kappa, self.lam,
         self.Fn0, self.Fn1, self.Fn2, self.Fn3, self.F0, self.F1, self.F2, self.F3, self.eta, self.Fe) = p[:20]
        self.Z, self.mass = p[20], p[21]
        self.rhon = RHO_N_FRACTION.get(symbol, 0.85) * self.rhoe
        self.rho0 = RHO_0_FRACTION * self.rhoe
        self.lattice = math.sqrt(2.0) * self.re  # fcc

    def density(self, r):
        x = r / self.re
        return self.fe * math.exp(-self.beta * (x - 1.0)) / (1.0 + (x - self.lam) ** 20)

    def pair(self, r):
        x = r / self.re
        return (self.A * math.exp(-self.alpha * (x - 1.0)) / (1.0 + (x - self.kappa) ** 20)
                - self.B * math.exp(-self.beta * (x - 1.0)) / (1.0 + (x - self.lam) ** 20))

    def embedding(self, rho):
        if rho < self.rhon:
            x = rho / self.rhon - 1.0
            return self.Fn0 + self.Fn1 * x + self.Fn2 * x * x + self.Fn3 * x ** 3
        if rho < self.rho0:
            x = rho / self.rhoe - 1.0
            return self.F0 + self.F1 * x + self.F2 * x * x + self.F3 * x ** 3
        y = (rho / self.rhos) ** self.eta
        return self.Fe * (1.0 - math.log(y)) * y


def alloy_pair(a, b, r):
    if a is b:
        return a.pair(r)
    fa, fb = a.density(r), b.density(r)
    return 0.5 * (fb / fa * a.pair(r) + fa / fb * b.pair(r))


def check_embedding_continuity(e):
    """The embedding branches must meet (to the table's 6 digits) at rho_n and rho_0."""
    for rho in (e.rhon, e.rho0):
        below, above = e.embedding(rho * (1 - 1e-12)), e.embedding(rho * (1 + 1e-12))
        if abs(below - above) > 2e-3:
            sys.exit("embedding function of %s jumps by %.4g eV at rho = %.4g" % (e.symbol, above - below, rho))


def write_setfl(path, elements):
    for e in elements:
        check_embedding_continuity(e)
    rc = math.sqrt(10.0) / 2.0 * max(e.lattice for e in elements)
    dr = rc / (NR - 1.0)
    radii = [max(i * dr, R_MIN) for i in range(NR)]
    densities = [[e.density(r) for r in radii] for e in elements]
    rho_max = max(max(max(d) for d in densities), 2.0 * max(e.rhoe for e in elements), 100.0)
    drho = rho_max / (NRHO - 1.0)
    names = " ".join(e.symbol for e in elements)
    with open(path, "w") as f:
        f.write("Zhou, Johnson, Wadley, Phys. Rev. B 69, 144113 (2004): EAM for %s (setfl, LAMMPS eam/alloy)\n" % names)
        f.write("Generated by tools/potentials/generate.py from the published parameters; alloy pairs by Eq. (6)\n")
        f.write("Nr=%d Nrho=%d rc=sqrt(10)/2*a_max; r < %.1f A tabulated at %.1f A\n" % (NR, NRHO, R_MIN, R_MIN))
        f.write("%d %s\n" % (len(elements), names))
        f.write("%d %.16e %d %.16e %.16e\n" % (NRHO, drho, NR, dr, rc))
        for e, d in zip(elements, densities):
            f.write("%d %.6f %.6f fcc\n" % (e.Z, e.mass, e.lattice))
            write_block(f, [e.embedding(i * drho) for i in range(NRHO)])
            write_block(f, d)
        for i, a in enumerate(elements):
            for b in elements[:i + 1]:
                write_block(f, [r * alloy_pair(a, b, r) for r in radii])
    print("wrote %s (rc = %.4f A)" % (os.path.relpath(path, ROOT), rc))


def write_block(f, values):
    for k in range(0, len(values), 5):
        f.write(" ".join("%.16e" % v for v in values[k:k + 5]) + "\n")


def write_sw(path):
    cos0 = -1.0 / 3.0
    with open(path, "w") as f:
        f.write("# Stillinger-Weber silicon: F. H. Stillinger, T. A. Weber, Phys. Rev. B 31, 5262 (1985)\n")
        f.write("# Generated by tools/potentials/generate.py; LAMMPS pair_style sw format:\n")
        f.write("# element1 element2 element3 epsilon(eV) sigma(A) a lambda gamma costheta0 A B p q tol\n")
        f.write("# epsilon = 50 kcal/mol = 2.1683 eV, sigma = 2.0951 A\n")
        f.write("Si Si Si 2.1683 2.0951 1.80 21.0 1.20 %r 7.049556277 0.6022245584 4.0 0.0 0.0\n" % cos0)
    print("wrote %s" % os.path.relpath(path, ROOT))


def main():
    os.makedirs(OUT, exist_ok=True)
    elements = [Zhou(s) for s in ORDER]
    for e in elements:
        write_setfl(os.path.join(OUT, "%s_Zhou04.eam.alloy" % e.symbol), [e])
    write_setfl(os.path.join(OUT, "%s_Zhou04.eam.alloy" % "".join(ORDER)), elements)
    write_sw(os.path.join(OUT, "Si_StillingerWeber85.sw"))


if __name__ == "__main__":
    main()
