package org.relulearn.algo.convex;

import org.relulearn.algo.loss.ConvexLoss;

/**
 * An independent driver-side solver of the robust hinge program for tests (dense, tiny problems only).
 * With the 2^d sign vectors s_k the l1 norms become maxima of linear functions, so the program is
 * <pre>
 *   min_u  sum_j max(0, 1 + max_k (B_j u)_k) + beta sum_g ||u_g||
 *   s.t.   A u &gt;= 0,   (B_j u)_k = -y_j yhat_j + eps s_k . g_j,   rows of A: e_ri x_r . u_g - eps s_k . u~_g
 * </pre>
 * (polyhedral constraints, one per row, group and sign vector), solved by scaled ADMM with the splits
 * w = Bu, c = Au, z = u: u-step with the fixed matrix I + B^T B + A^T A (dense Cholesky), w-step by the
 * prox of the max (Moreau: v - tau P(v / tau), P = projection onto {lambda &gt;= 0, sum lambda &lt;= 1}),
 * c = max(Au + nu, 0), z = group soft-threshold. Shares no code with {@link RobustConvexTrainer}
 * (no smoothing, no per-row multipliers, no FISTA).
 */
final class RobustHingeReference {
    private RobustHingeReference() {}

    /** Returns the groups u (2P x d', v then w) after {@code iterations} ADMM steps. x: n rows of d features (bias appended here). */
    static double[] solve(double[] x, double[] y, int n, int d, double[] gates, int p, double eps, double beta, double rho, int iterations) {
        int dp = d + 1, nv = 2 * p * dp, ns = 1 << d;
        double[][] s = new double[ns][d];
        for (int k = 0; k < ns; k++) for (int c = 0; c < d; c++) s[k][c] = ((k >> c) & 1) == 0 ? -1 : 1;
        // B: n*ns rows; A: n*2P*ns rows.
        int nb = n * ns, na = n * 2 * p * ns;
        double[] b = new double[nb * nv], a = new double[na * nv];
        int[] aGroup = new int[na];
        for (int r = 0; r < n; r++) {
            double[] xr = new double[dp];
            for (int c = 0; c < d; c++) xr[c] = x[r * d + c];
            xr[d] = 1;
            for (int i = 0; i < p; i++) {
                double z = 0;
                for (int j = 0; j < dp; j++) z += xr[j] * gates[i * dp + j];
                boolean on = z >= 0;
                for (int k = 0; k < ns; k++) {
                    if (on) {
                        for (int sign = 0; sign < 2; sign++) {
                            int g = i + sign * p;
                            double sg = sign == 0 ? 1 : -1;
                            for (int j = 0; j < dp; j++) b[(r * ns + k) * nv + g * dp + j] += -y[r] * sg * xr[j];
                            for (int c = 0; c < d; c++) b[(r * ns + k) * nv + g * dp + c] += eps * s[k][c] * sg;
                        }
                    }
                    for (int sign = 0; sign < 2; sign++) {
                        int g = i + sign * p;
                        int row = (r * 2 * p + g) * ns + k;
                        aGroup[row] = g;
                        for (int j = 0; j < dp; j++) a[row * nv + g * dp + j] = (on ? 1 : -1) * xr[j];
                        for (int c = 0; c < d; c++) a[row * nv + g * dp + c] -= eps * s[k][c];
                    }
                }
            }
        }
        double[] m = new double[nv * nv];
        for (int i = 0; i < nv; i++) m[i * nv + i] = 1;
        addGram(m, b, nb, nv);
        for (int row = 0; row < na; row++) {
            int g0 = aGroup[row] * dp;
            for (int i = 0; i < dp; i++) for (int j = 0; j < dp; j++) m[(g0 + i) * nv + g0 + j] += a[row * nv + g0 + i] * a[row * nv + g0 + j];
        }
        SpdFactor f = new SpdFactor(m, nv, "I + B^T B + A^T A");
        double[] u = new double[nv], z = new double[nv], lam = new double[nv];
        double[] w = new double[nb], al = new double[nb], cc = new double[na], nu = new double[na];
        double[] bu = new double[nb], au = new double[na], rhs = new double[nv], lamb = new double[ns];
        double tau = 1 / rho;
        for (int it = 0; it < iterations; it++) {
            java.util.Arrays.fill(rhs, 0);
            for (int i = 0; i < nv; i++) rhs[i] = z[i] - lam[i];
            for (int row = 0; row < nb; row++) for (int j = 0; j < nv; j++) rhs[j] += b[row * nv + j] * (w[row] - al[row]);
            for (int row = 0; row < na; row++) {
                int g0 = aGroup[row] * dp;
                for (int j = 0; j < dp; j++) rhs[g0 + j] += a[row * nv + g0 + j] * (cc[row] - nu[row]);
            }
            System.arraycopy(rhs, 0, u, 0, nv);
            f.solveInPlace(u, 1);
            mul(b, u, bu, nb, nv);
            for (int row = 0; row < na; row++) {
                int g0 = aGroup[row] * dp;
                double t = 0;
                for (int j = 0; j < dp; j++) t += a[row * nv + g0 + j] * u[g0 + j];
                au[row] = t;
            }
            for (int r = 0; r < n; r++) {
                // w_r = prox of tau * max(0, max_k (1 + w_k)) at v = Bu + alpha, via v' = v + 1.
                for (int k = 0; k < ns; k++) lamb[k] = (bu[r * ns + k] + al[r * ns + k] + 1) / tau;
                projectCappedSimplex(lamb);
                for (int k = 0; k < ns; k++) w[r * ns + k] = bu[r * ns + k] + al[r * ns + k] - tau * lamb[k];
            }
            for (int row = 0; row < na; row++) cc[row] = Math.max(au[row] + nu[row], 0);
            double thr = beta / rho;
            for (int g = 0; g < 2 * p; g++) {
                double sq = 0;
                for (int j = 0; j < dp; j++) sq += (u[g * dp + j] + lam[g * dp + j]) * (u[g * dp + j] + lam[g * dp + j]);
                double norm = Math.sqrt(sq), sc = norm > thr ? 1 - thr / norm : 0;
                for (int j = 0; j < dp; j++) z[g * dp + j] = sc * (u[g * dp + j] + lam[g * dp + j]);
            }
            for (int row = 0; row < nb; row++) al[row] += bu[row] - w[row];
            for (int row = 0; row < na; row++) nu[row] += au[row] - cc[row];
            for (int i = 0; i < nv; i++) lam[i] += u[i] - z[i];
        }
        return z;
    }

    /** Projection onto {lambda >= 0, sum lambda <= 1}, in place. */
    static void projectCappedSimplex(double[] v) {
        double sum = 0;
        for (double t : v) sum += Math.max(t, 0);
        if (sum <= 1) {
            for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], 0);
            return;
        }
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        double cum = 0, theta = 0;
        for (int i = sorted.length - 1, k = 1; i >= 0; i--, k++) {
            cum += sorted[i];
            double t = (cum - 1) / k;
            if (i == 0 || sorted[i - 1] <= t) {
                theta = t;
                break;
            }
        }
        for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i] - theta, 0);
    }

    private static void addGram(double[] m, double[] rows, int nr, int nv) {
        for (int r = 0; r < nr; r++) {
            for (int i = 0; i < nv; i++) {
                double ri = rows[r * nv + i];
                if (ri == 0) continue;
                for (int j = 0; j < nv; j++) m[i * nv + j] += ri * rows[r * nv + j];
            }
        }
    }

    private static void mul(double[] mat, double[] v, double[] out, int nr, int nv) {
        for (int r = 0; r < nr; r++) {
            double t = 0;
            for (int j = 0; j < nv; j++) t += mat[r * nv + j] * v[j];
            out[r] = t;
        }
    }

    /** The exact robust hinge objective of groups u, and the largest robust-cone violation over nonzero groups. */
    static double[] objective(double[] u, double[] x, double[] y, int n, int d, double[] gates, int p, double eps, double beta) {
        int dp = d + 1;
        double loss = 0, viol = 0;
        for (int r = 0; r < n; r++) {
            double[] xr = new double[dp];
            for (int c = 0; c < d; c++) xr[c] = x[r * d + c];
            xr[d] = 1;
            double yhat = 0;
            double[] g = new double[d];
            for (int i = 0; i < p; i++) {
                double z = 0;
                for (int j = 0; j < dp; j++) z += xr[j] * gates[i * dp + j];
                boolean on = z >= 0;
                for (int sign = 0; sign < 2; sign++) {
                    int gi = i + sign * p;
                    double xu = 0, l1 = 0, nrm = 0;
                    for (int j = 0; j < dp; j++) {
                        xu += xr[j] * u[gi * dp + j];
                        nrm += Math.abs(u[gi * dp + j]);
                    }
                    for (int c = 0; c < d; c++) l1 += Math.abs(u[gi * dp + c]);
                    if (nrm > 0) viol = Math.max(viol, eps * l1 - (on ? 1 : -1) * xu);
                    if (on) {
                        yhat += (sign == 0 ? 1 : -1) * xu;
                        for (int c = 0; c < d; c++) g[c] += (sign == 0 ? 1 : -1) * u[gi * dp + c];
                    }
                }
            }
            double g1 = 0;
            for (double t : g) g1 += Math.abs(t);
            loss += ConvexLoss.HINGE.worstCase(yhat, y[r], eps * g1);
        }
        return new double[] {loss + beta * RobustConvexTrainer.groupNormSum(u, dp), viol};
    }
}
