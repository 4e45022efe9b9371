#!/usr/bin/env python3
"""Reference solve of relulearn's constrained convex program by cvxopt's interior-point cone QP solver.

This is a benchmark reference, not part of the product: `bench --suite convex` runs it beside the Java solvers
when `python3` can import cvxopt (Debian: `apt-get install python3-cvxopt python3-numpy`).

The program (squared loss, sampled patterns D_i = diag(1[X' h_i >= 0]), X' = [X, 1] with the bias column):

    min  1/2 || sum_i D_i X' (v_i - w_i) - y ||^2 + beta sum_i (||v_i|| + ||w_i||)
    s.t. (2 D_i - I) X' v_i >= 0,  (2 D_i - I) X' w_i >= 0

written as a cone QP in z = (u_1 .. u_2P, tau_1 .. tau_2P), u_i = v_i and u_{P+i} = w_i:
    1/2 z^T P z + q^T z  with  P = M^T M (on u), q = (-M^T y, beta 1),  M = [D_1 X' .. D_P X', -D_1 X' .. -D_P X'],
    linear cones  -e_ri x'_r . u_g <= 0  and second-order cones  ||u_g|| <= tau_g.

Usage: ipm_reference.py ROWS.csv GATES.csv BETA
  ROWS.csv: header x0..x{d-1},y; GATES.csv: one gate h_i per line (d + 1 numbers, the last for the bias).
Prints one JSON object: objective (including 1/2 y^T y), iterations, seconds (solver only), status.
"""
import json
import sys
import time

import numpy as np
from cvxopt import matrix, solvers, spmatrix


def main():
    rows = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, ndmin=2)
    gates = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
    beta = float(sys.argv[3])
    x = np.hstack([rows[:, :-1], np.ones((rows.shape[0], 1))])
    y = rows[:, -1]
    n, dp = x.shape
    p = gates.shape[0]
    on = (x @ gates.T >= 0).astype(float)            # n x P, D_i on the diagonal
    sign = 2 * on - 1                                 # e_ri
    groups = 2 * p
    nu = groups * dp
    m = np.hstack([on[:, [i % p]] * x * (1 if i < p else -1) for i in range(groups)])   # n x 2P dp
    pm = np.zeros((nu + groups, nu + groups))
    pm[:nu, :nu] = m.T @ m
    q = np.concatenate([-m.T @ y, beta * np.ones(groups)])

    # linear cones: row (g, r) holds -e_ri x'_r in the columns of u_g
    vals, ri, ci = [], [], []
    for g in range(groups):
        i = g % p
        block = -(sign[:, [i]] * x)                   # n x dp
        for r in range(n):
            for j in range(dp):
                vals.append(block[r, j])
                ri.append(g * n + r)
                ci.append(g * dp + j)
    lin = groups * n
    # second-order cones: (tau_g, u_g), each as -[tau_g; u_g] + s = 0
    for g in range(groups):
        base = lin + g * (dp + 1)
        vals.append(-1.0)
        ri.append(base)
        ci.append(nu + g)
        for j in range(dp):
            vals.append(-1.0)
            ri.append(base + 1 + j)
            ci.append(g * dp + j)
    rows_g = lin + groups * (dp + 1)
    gmat = spmatrix(vals, ri, ci, (rows_g, nu + groups))
    h = matrix(0.0, (rows_g, 1))
    dims = {"l": lin, "q": [dp + 1] * groups, "s": []}
    solvers.options["show_progress"] = False
    solvers.options["reltol"] = 1e-7   # tighter than the 1e-4 relative gap it is compared at
    t0 = time.time()
    sol = solvers.coneqp(matrix(pm), matrix(q), gmat, h, dims)
    seconds = time.time() - t0
    z = np.array(sol["x"]).ravel()
    u = z[:nu]
    objective = 0.5 * float(np.sum((m @ u - y) ** 2)) + beta * float(
        sum(np.linalg.norm(u[g * dp:(g + 1) * dp]) for g in range(groups)))
    print(json.dumps({"objective": objective, "iterations": int(sol["iterations"]), "seconds": seconds,
                      "status": sol["status"], "rows": n, "patterns": p}))


if __name__ == "__main__":
    main()
