package org.relulearn.algo.convex;

import org.relulearn.linalg.Blas;
import org.relulearn.linalg.Dense;

/**
 * The convex gated-ReLU program (Mishkin, Sahiner and Pilanci, arXiv:2202.01331) over fixed gates h_1..h_P,
 * with squared loss summed over rows:
 * <pre>
 *   min_u F(u) = 1/2 || sum_i D_i X u_i - y ||^2 + beta sum_i ||u_i||_2,     D_i = diag(1[X h_i >= 0])
 * </pre>
 * It is unconstrained (a group lasso on the columns M = [D_1 X, ..., D_P X]), so it is held by its
 * sufficient statistics, summed in one pass: Q = M^T M (block Q_ij = X^T D_i D_j X), c = M^T y and
 * yy = y^T y, with F(u) = 1/2 u^T Q u - c^T u + 1/2 yy + beta sum_i ||u_i||. Every iteration then runs on
 * the driver at (Pd')^2 cost, whatever the number of rows.
 *
 * <p>Solver: FISTA (accelerated proximal gradient) with a backtracked step 1/L, L >= lambda_max(Q), and
 * the gradient restart of O'Donoghue and Candes (momentum reset when (y_k - x_{k+1}) . (x_{k+1} - x_k) > 0).
 * The prox of beta ||.||_2 per group is the group soft-threshold.
 *
 * <p>Certificate: for the residual r = y - M u the scaled point z = s r is dual feasible when
 * s max_i ||M_i^T r|| &lt;= beta, and by weak duality
 * <pre>  F(u*) &gt;= y^T z - 1/2 ||z||^2,   s = min(y^T r / ||r||^2, beta / max_i ||c_i - (Q u)_i||) </pre>
 * (M_i^T r = c_i - (Q u)_i, ||r||^2 = yy - 2 c^T u + u^T Q u, y^T r = yy - c^T u). The iteration stops when
 * the relative gap (F - bound) / F is at most the tolerance.
 *
 * <p>The gated program's optimum is a lower bound on the constrained ReLU program over the same gates
 * (u_i = v_i - w_i and ||u_i|| &lt;= ||v_i|| + ||w_i||).
 */
public final class GatedReluProgram {
    private final double[] q;
    private final double[] c;
    private final double yy;
    private final int p;
    private final int dp;
    private final int w;
    private double lipschitz = Double.NaN;

    /**
     * @param q  Q, full (Pd') x (Pd'), symmetric
     * @param c  M^T y, P x d' row-major
     * @param yy y^T y
     */
    public GatedReluProgram(double[] q, double[] c, double yy, int p, int dp) {
        this.w = p * dp;
        if (q.length != w * w || c.length != w) throw new IllegalArgumentException("Q must be (Pd')^2 and c Pd' long");
        this.q = q;
        this.c = c;
        this.yy = yy;
        this.p = p;
        this.dp = dp;
    }

    public int patterns() { return p; }

    public int columns() { return dp; }

    /** The smallest beta at which u = 0 is optimal: max_i ||c_i||. */
    public double betaMax() {
        double m = 0;
        for (int i = 0; i < p; i++) m = Math.max(m, groupNorm(c, i));
        return m;
    }

    /** One solve: the iterate, its objective, the certified lower bound and the iterations used. */
    public record Solution(double[] u, double beta, double objective, double lowerBound, double relativeGap,
                           int iterations, boolean converged, int active) {}

    /** 1/2 ||M u - y||^2 = 1/2 u^T Q u - c^T u + 1/2 yy (the data term, also the held-out loss when Q, c, yy are a held-out split's). */
    public double dataTerm(double[] u) {
        double[] qu = new double[w];
        mult(u, qu);
        return 0.5 * dot(u, qu) - dot(c, u) + 0.5 * yy;
    }

    /** F(u). */
    public double objective(double[] u, double beta) {
        return dataTerm(u) + beta * penalty(u);
    }

    /** sum_i ||u_i||. */
    public double penalty(double[] u) {
        double s = 0;
        for (int i = 0; i < p; i++) s += groupNorm(u, i);
        return s;
    }

    /** How the driver solves the program. */
    public enum Method {
        /** Block coordinate descent with exact group minimisation (the default: fewest (Pd')^2 sweeps on the programs measured). */
        CD,
        /** FISTA with backtracking and gradient restarts. */
        FISTA
    }

    /** As {@link #solve(double, double[], double, int, Method)} by block coordinate descent. */
    public Solution solve(double beta, double[] warm, double gapTol, int maxIter) {
        return solve(beta, warm, gapTol, maxIter, Method.CD);
    }

    /**
     * Solves to a relative gap of {@code gapTol} from {@code warm} (null = 0), at most {@code maxIter}
     * iterations (FISTA steps or coordinate-descent sweeps over all groups; both cost one (Pd')^2 product).
     */
    public Solution solve(double beta, double[] warm, double gapTol, int maxIter, Method method) {
        if (method == Method.CD) return coordinateDescent(beta, warm, gapTol, maxIter);
        return fista(beta, warm, gapTol, maxIter);
    }

    private Dense.SymmetricEigen[] blockEigen;

    /**
     * Block coordinate descent: group i minimises 1/2 u_i^T Q_ii u_i - g_i^T u_i + beta ||u_i|| with
     * g_i = c_i - sum_{j != i} Q_ij u_j exactly: u_i = 0 when ||g_i|| &lt;= beta, else
     * u_i = (Q_ii + mu I)^{-1} g_i with mu = beta / ||u_i||, the root of
     * sum_k h_k^2 (mu / (lambda_k + mu))^2 = beta^2 in the eigenbasis of Q_ii (h = V^T g_i), found by bisection.
     * Q u is kept up to date by one Pd' x d' product per changed group.
     */
    private Solution coordinateDescent(double beta, double[] warm, double gapTol, int maxIter) {
        if (!(beta > 0)) throw new IllegalArgumentException("the gated-ReLU program needs beta > 0, got " + beta);
        if (blockEigen == null) {
            blockEigen = new Dense.SymmetricEigen[p];
            double[] a = new double[dp * dp];
            for (int i = 0; i < p; i++) {
                for (int r = 0; r < dp; r++) System.arraycopy(q, (i * dp + r) * w + i * dp, a, r * dp, dp);
                blockEigen[i] = Dense.symmetricEigen(a, dp);
            }
        }
        double[] x = warm == null ? new double[w] : warm.clone();
        double[] qx = new double[w];
        mult(x, qx);
        double[] g = new double[dp], h = new double[dp], ui = new double[dp], delta = new double[dp];
        double lb = Double.NEGATIVE_INFINITY, fx;
        double[] cert = certificate(x, qx, beta);
        fx = cert[0];
        lb = cert[1];
        boolean converged = relativeGap(fx, lb) <= gapTol;
        boolean[] lastSupport = new boolean[p];
        int newtonNext = 0, newtonWait = 5;
        int k = 0;
        while (!converged && k < maxIter) {
            k++;
            for (int i = 0; i < p; i++) {
                int o = i * dp;
                // g_i = c_i - (Q x)_i + Q_ii x_i
                for (int r = 0; r < dp; r++) {
                    double s = c[o + r] - qx[o + r];
                    int row = (o + r) * w + o;
                    for (int j = 0; j < dp; j++) s += q[row + j] * x[o + j];
                    g[r] = s;
                }
                groupMinimiser(blockEigen[i], g, beta, h, ui);
                boolean changed = false;
                for (int r = 0; r < dp; r++) {
                    delta[r] = ui[r] - x[o + r];
                    changed |= delta[r] != 0;
                }
                if (!changed) continue;
                System.arraycopy(ui, 0, x, o, dp);
                // qx += Q[:, block i] delta  (Q symmetric: rows of block i, transposed)
                Blas.native3().dgemv("T", dp, w, 1.0, q, o, w, delta, 0, 1, 1.0, qx, 0, 1);
            }
            if (k % 5 == 0 || k == maxIter) {
                mult(x, qx);
                cert = certificate(x, qx, beta);
                fx = cert[0];
                lb = Math.max(lb, cert[1]);
                converged = relativeGap(fx, lb) <= gapTol;
                // Newton only once coordinate descent has settled the support (unchanged since the last check).
                boolean settled = true;
                for (int i = 0; i < p; i++) {
                    boolean on = groupNorm(x, i) > 0;
                    settled &= on == lastSupport[i];
                    lastSupport[i] = on;
                }
                // A Newton attempt that does not certify (a group of the support should vanish, which coordinate descent
                // does) makes the next ones wait twice as long: each costs a factorisation of the support's system.
                boolean attempt = !converged && settled && k >= newtonNext;
                if (attempt) {
                    newtonWait = Math.min(2 * newtonWait, 1 << 10);
                    newtonNext = k + newtonWait;
                }
                if (attempt && newtonOnSupport(x, qx, beta, gapTol)) {
                    cert = certificate(x, qx, beta);
                    fx = cert[0];
                    lb = Math.max(lb, cert[1]);
                    converged = relativeGap(fx, lb) <= gapTol;
                }
            }
        }
        return finish(x, qx, beta, lb, gapTol, k);
    }

    /** The solution at x, certified afresh (Q x recomputed; the best bound seen is kept). */
    private Solution finish(double[] x, double[] qx, double beta, double lb, double gapTol, int iterations) {
        mult(x, qx);
        double[] cert = certificate(x, qx, beta);
        double fx = cert[0];
        lb = Math.max(lb, cert[1]);
        int active = 0;
        for (int i = 0; i < p; i++) if (groupNorm(x, i) > 0) active++;
        return new Solution(x, beta, fx, lb, relativeGap(fx, lb), iterations, relativeGap(fx, lb) <= gapTol, active);
    }

    /**
     * Newton's method on the support S = {i : u_i != 0} that coordinate descent found: the optimality
     * condition there, Q_SS u_S - c_S + beta u_i / ||u_i|| = 0, is smooth, with Jacobian
     * Q_SS + beta blockdiag((I - n_i n_i^T) / ||u_i||), n_i = u_i / ||u_i||. Steps are damped so the
     * objective decreases and no group crosses zero; when the support is right the iteration converges
     * quadratically, where coordinate descent crawls (small beta, correlated patterns).
     * Returns whether the objective decreased ({@code x}, {@code qx} updated).
     */
    private boolean newtonOnSupport(double[] x, double[] qx, double beta, double gapTol) {
        int[] support = new int[p];
        int s = 0;
        for (int i = 0; i < p; i++) if (groupNorm(x, i) > 0) support[s++] = i;
        if (s == 0) return false;
        int m = s * dp;
        double f0 = objective(x, beta, qx);
        double fStart = f0;
        double[] jac = new double[m * m], rhs = new double[m], trial = new double[w], qTrial = new double[w];
        for (int step = 0; step < 10; step++) {   // quadratic once the support is right; a wrong one is left to CD
            for (int a = 0; a < s; a++) {
                int ia = support[a] * dp;
                double na = groupNorm(x, support[a]);
                for (int r = 0; r < dp; r++) {
                    rhs[a * dp + r] = -(qx[ia + r] - c[ia + r] + beta * x[ia + r] / na);
                    for (int b = 0; b < s; b++) {
                        int ib = support[b] * dp;
                        System.arraycopy(q, (ia + r) * w + ib, jac, (a * dp + r) * m + b * dp, dp);
                    }
                    for (int cc = 0; cc < dp; cc++) {
                        double nr = x[ia + r] / na, nc = x[ia + cc] / na;
                        jac[(a * dp + r) * m + a * dp + cc] += beta * ((r == cc ? 1 : 0) - nr * nc) / na;
                    }
                }
            }
            double tr = 0;
            for (int i = 0; i < m; i++) tr += jac[i * m + i];
            for (int i = 0; i < m; i++) jac[i * m + i] += 1e-13 * tr / m;
            double[] dir;
            try {
                dir = new SpdFactor(jac, m, "the Newton system").solveInPlace(rhs.clone(), 1);
            } catch (ArithmeticException e) {
                break;
            }
            // Damping: never shrink a group past half its norm in one step, then backtrack on the objective.
            double t = 1;
            for (int a = 0; a < s; a++) {
                int ia = support[a] * dp;
                double na = groupNorm(x, support[a]), dn = 0;
                for (int r = 0; r < dp; r++) dn += dir[a * dp + r] * dir[a * dp + r];
                dn = Math.sqrt(dn);
                if (dn > 0.5 * na) t = Math.min(t, 0.5 * na / dn);
            }
            double f1 = Double.POSITIVE_INFINITY;
            for (int ls = 0; ls < 30; ls++) {
                System.arraycopy(x, 0, trial, 0, w);
                for (int a = 0; a < s; a++) {
                    int ia = support[a] * dp;
                    for (int r = 0; r < dp; r++) trial[ia + r] += t * dir[a * dp + r];
                }
                mult(trial, qTrial);
                f1 = objective(trial, beta, qTrial);
                if (f1 <= f0) break;
                t *= 0.5;
            }
            if (!(f1 <= f0)) break;
            System.arraycopy(trial, 0, x, 0, w);
            System.arraycopy(qTrial, 0, qx, 0, w);
            boolean done = f0 - f1 <= 1e-15 * Math.abs(f0);
            f0 = f1;
            double[] cert = certificate(x, qx, beta);
            if (done || relativeGap(cert[0], cert[1]) <= gapTol) break;
        }
        return f0 < fStart;
    }

    private double objective(double[] u, double beta, double[] qu) {
        return 0.5 * dot(u, qu) - dot(c, u) + 0.5 * yy + beta * penalty(u);
    }

    /** argmin_u 1/2 u^T A u - g^T u + beta ||u|| for A = V diag(lambda) V^T (into {@code out}). */
    private void groupMinimiser(Dense.SymmetricEigen e, double[] g, double beta, double[] h, double[] out) {
        double gn = 0;
        for (double v : g) gn += v * v;
        if (Math.sqrt(gn) <= beta) {
            java.util.Arrays.fill(out, 0);
            return;
        }
        for (int k = 0; k < dp; k++) {
            double s = 0;
            for (int r = 0; r < dp; r++) s += e.vector(r, k) * g[r];
            h[k] = s;
        }
        double[] lam = e.values();
        // phi(mu) = sum h_k^2 (mu / (lambda_k + mu))^2 rises from ~0 to ||g||^2 > beta^2: bracket, then bisect in log mu.
        double lo = 1e-300, hi = Math.max(1e-300, Math.max(0, lam[dp - 1]) + 1);
        while (phi(hi, h, lam) < beta * beta) hi *= 4;
        lo = hi;
        while (lo > 1e-300 && phi(lo, h, lam) > beta * beta) lo /= 4;
        for (int it = 0; it < 100 && hi > lo * (1 + 1e-15); it++) {
            double mid = Math.sqrt(lo * hi);
            if (phi(mid, h, lam) > beta * beta) hi = mid; else lo = mid;
        }
        double mu = Math.sqrt(lo * hi);
        for (int r = 0; r < dp; r++) {
            double s = 0;
            for (int k = 0; k < dp; k++) s += e.vector(r, k) * h[k] / (Math.max(lam[k], 0) + mu);
            out[r] = s;
        }
    }

    private static double phi(double mu, double[] h, double[] lam) {
        double s = 0;
        for (int k = 0; k < h.length; k++) {
            double f = mu / (Math.max(lam[k], 0) + mu);
            s += h[k] * h[k] * f * f;
        }
        return s;
    }

    private Solution fista(double beta, double[] warm, double gapTol, int maxIter) {
        if (!(beta > 0)) throw new IllegalArgumentException("the gated-ReLU program needs beta > 0, got " + beta);
        if (Double.isNaN(lipschitz)) lipschitz = largestEigenvalue() * 1.05 + 1e-300;
        double l = lipschitz;
        double[] x = warm == null ? new double[w] : warm.clone();
        double[] qx = new double[w];
        mult(x, qx);
        double[] y = x.clone(), qy = qx.clone();
        double[] xNew = new double[w], qxNew = new double[w], delta = new double[w], qDelta = new double[w];
        double t = 1;
        double fx = Double.NaN, lb = Double.NEGATIVE_INFINITY;
        int k = 0;
        boolean converged = false;
        double[] cert = certificate(x, qx, beta);
        fx = cert[0];
        lb = cert[1];
        if (relativeGap(fx, lb) <= gapTol) converged = true;
        while (!converged && k < maxIter) {
            k++;
            // Proximal step from y with step 1/L, backtracking until the quadratic upper bound holds.
            while (true) {
                for (int j = 0; j < w; j++) xNew[j] = y[j] - (qy[j] - c[j]) / l;
                groupShrink(xNew, beta / l);
                for (int j = 0; j < w; j++) delta[j] = xNew[j] - y[j];
                mult(delta, qDelta);
                double curvature = dot(delta, qDelta), step = dot(delta, delta);
                if (curvature <= l * step * (1 + 1e-12) || step == 0) break;
                l *= 2;
                lipschitz = l;
            }
            for (int j = 0; j < w; j++) qxNew[j] = qy[j] + qDelta[j];
            // Gradient restart: the step moved against the momentum.
            double restart = 0;
            for (int j = 0; j < w; j++) restart += (y[j] - xNew[j]) * (xNew[j] - x[j]);
            double tNew;
            if (restart > 0) {
                tNew = 1;
                System.arraycopy(xNew, 0, y, 0, w);
                System.arraycopy(qxNew, 0, qy, 0, w);
            } else {
                tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                double mom = (t - 1) / tNew;
                for (int j = 0; j < w; j++) {
                    y[j] = xNew[j] + mom * (xNew[j] - x[j]);
                    qy[j] = qxNew[j] + mom * (qxNew[j] - qx[j]);
                }
            }
            t = tNew;
            System.arraycopy(xNew, 0, x, 0, w);
            System.arraycopy(qxNew, 0, qx, 0, w);
            if (k % 10 == 0 || k == maxIter) {
                // Q x drifts from the recursion by round-off; recompute it before certifying.
                mult(x, qx);
                cert = certificate(x, qx, beta);
                fx = cert[0];
                lb = Math.max(lb, cert[1]);
                if (relativeGap(fx, lb) <= gapTol) converged = true;
            }
        }
        return finish(x, qx, beta, lb, gapTol, k);
    }

    /** {F(u), the dual bound at the scaled residual}. */
    private double[] certificate(double[] u, double[] qu, double beta) {
        double cu = dot(c, u), uqu = dot(u, qu);
        double rr = Math.max(0, yy - 2 * cu + uqu);
        double yr = yy - cu;
        double f = 0.5 * rr + beta * penalty(u);
        double worst = 0;
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int j = i * dp; j < (i + 1) * dp; j++) {
                double g = c[j] - qu[j];
                s += g * g;
            }
            worst = Math.max(worst, Math.sqrt(s));
        }
        double scale = rr > 0 ? Math.max(0, yr / rr) : 0;
        if (worst > 0) scale = Math.min(scale, beta / worst);
        // The bound is a difference of sums as large as yy: lower it by their round-off so that it stays a bound
        // (and the gap stays >= 0) when the iterate is optimal to the last bits.
        double roundOff = 1e-14 * (yy + 2 * Math.abs(cu) + Math.abs(uqu));
        double bound = scale * yr - 0.5 * scale * scale * rr - roundOff;
        return new double[] {f, Math.max(bound, 0)};
    }

    static double relativeGap(double f, double lb) {
        return (f - lb) / Math.max(Math.abs(f), 1e-300);
    }

    private void groupShrink(double[] u, double thr) {
        for (int i = 0; i < p; i++) {
            double nrm = groupNorm(u, i);
            double f = nrm > thr ? 1 - thr / nrm : 0;
            for (int j = i * dp; j < (i + 1) * dp; j++) u[j] *= f;
        }
    }

    private double groupNorm(double[] u, int i) {
        double s = 0;
        for (int j = i * dp; j < (i + 1) * dp; j++) s += u[j] * u[j];
        return Math.sqrt(s);
    }

    private void mult(double[] u, double[] out) {
        Blas.native3().dgemv("N", w, w, 1.0, q, w, u, 1, 0.0, out, 1);
    }

    /** lambda_max(Q) by power iteration (60 steps from a fixed start; the backtracking corrects an underestimate). */
    private double largestEigenvalue() {
        double[] v = new double[w], qv = new double[w];
        for (int j = 0; j < w; j++) v[j] = 1.0 / Math.sqrt(w) * (1 + 0.01 * (j % 7));
        double lambda = 0;
        for (int it = 0; it < 60; it++) {
            mult(v, qv);
            double nrm = Math.sqrt(dot(qv, qv));
            if (nrm == 0) return 1;
            lambda = dot(v, qv) / dot(v, v);
            for (int j = 0; j < w; j++) v[j] = qv[j] / nrm;
        }
        return Math.max(lambda, 1e-300);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
