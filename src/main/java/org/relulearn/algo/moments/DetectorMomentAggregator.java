package org.relulearn.algo.moments;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 2 of the symmetric-input method of moments: the pure-neuron-detector moment
 * <pre>
 *   G[ab, ce] = (1/n) sum_s Q_ab(s) xr_c(s) xr_e(s),     a <= b in [k],  c <= e in [q],
 *   Q = yt yt^T - (1/2) z z^T,   yt = P^T y,   z = Bt x,   xr = Vr x (or x)
 * </pre>
 * (see {@link DetectorProjection}), a k(k+1)/2 x q(q+1)/2 array. By identity (I3) of docs/moments.md,
 * sum_ab U_ab E[Q_ab x x^T] = T(U) for symmetric U, the map whose near-null space holds the detectors.
 *
 * <p>Both index pairs use the packed upper layout of {@link CompensatedSum#addPackedUpper}: pair
 * (a, b), a <= b, is at b(b+1)/2 + a. Per block of R rows: yt and z are two dgemms, xr one more;
 * Q (R x k(k+1)/2) and the pairwise products XX (R x q(q+1)/2) are elementwise products laid out
 * pair-major so each is one contiguous vectorisable loop per pair; then G += Q^T XX is one dgemm.
 * Forming XX costs 1/(k(k+1)/2) of that dgemm. Rows are taken in chunks so XX stays near 4 MiB.
 * Each block's sum is added with compensation, as in {@link MomentAggregator}.
 *
 * <p>The same pass keeps, per direction z_a = (Bt x)_a, the sums of z_a^2, z_a^3 and z_a^6 for the
 * third-moment symmetry statistic (docs/moments.md, Certificates): E[z_a^3] = 0 for every symmetric law, and these
 * are the directions the fit depends on.
 */
public final class DetectorMomentAggregator extends SummingAggregator<DetectorMomentAggregator> {
    private static final long serialVersionUID = 1L;
    /** Target size in doubles of the per-chunk pairwise-product buffer XX. */
    private static final int XX_BUDGET = 1 << 19;

    private final Shared<DetectorProjection> shared;
    private final int k;
    private final int q;
    private final int kp;
    private final int qp;
    private final CompensatedSum sumG;   // column-major kp x qp
    private final CompensatedSum sumZ;   // [sum z_a^2 | sum z_a^3 | sum z_a^6], a in [k]
    private transient double[] blockZ;
    private transient double[] blockG;
    private transient double[] yt;
    private transient double[] z;
    private transient double[] xr;
    private transient double[] xt;
    private transient double[] qPairs;
    private transient double[] xxPairs;

    public DetectorMomentAggregator(Shared<DetectorProjection> shared) {
        DetectorProjection pr = shared.value();
        this.shared = shared;
        this.k = pr.k();
        this.q = pr.q();
        this.kp = k * (k + 1) / 2;
        this.qp = q * (q + 1) / 2;
        if ((long) kp * qp > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("the detector moment would have " + (long) kp * qp
                    + " entries; use reduced-x weighting (q = k) for this d");
        }
        this.sumG = sums(kp * qp);
        this.sumZ = sums(3 * k);
    }

    /** Rows per chunk for the pairwise-product buffer. */
    int chunkRows() { return Math.max(8, Math.min(1024, XX_BUDGET / Math.max(1, qp))); }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        DetectorProjection pr = shared.value();
        int d = pr.d(), m = pr.m();
        if (block.d() != d || block.m() != m) {
            throw new IllegalArgumentException("detector pass expects d=" + d + ", m=" + m + "; got " + block);
        }
        int chunk = chunkRows();
        ensureScratch(Math.min(chunk, rows), d);
        double[] x = block.x(), y = block.y();
        for (int from = 0; from < rows; from += chunk) {
            int r = Math.min(chunk, rows - from);
            // Row-major P (m x k) is column-major P^T (k x m): yt (k x r) = P^T Y.
            Blas.native3().dgemm("N", "N", k, r, m, 1.0, pr.p(), 0, k, y, from * m, m, 0.0, yt, 0, k);
            // Row-major Bt (k x d) is column-major Bt^T: z (k x r) = Bt X.
            Blas.native3().dgemm("T", "N", k, r, d, 1.0, pr.bt(), 0, d, x, from * d, d, 0.0, z, 0, k);
            double[] w;
            int wOff;
            if (pr.vr() != null) {
                Blas.native3().dgemm("T", "N", q, r, d, 1.0, pr.vr(), 0, d, x, from * d, d, 0.0, xr, 0, q);
                w = xr;
                wOff = 0;
            } else {
                w = x;
                wOff = from * d;
            }
            for (int s = 0; s < r; s++) {
                for (int a = 0, t = s * k; a < k; a++) {
                    double v = z[t + a], v2 = v * v, v3 = v2 * v;
                    blockZ[a] += v2;
                    blockZ[k + a] += v3;
                    blockZ[2 * k + a] += v3 * v3;
                }
            }
            // Feature-major copy (q x r, rows contiguous) so each pair's product is a unit-stride loop.
            for (int s = 0; s < r; s++) for (int c = 0; c < q; c++) xt[c * r + s] = w[wOff + s * q + c];
            for (int e = 0, pair = 0; e < q; e++) {
                for (int c = 0; c <= e; c++, pair++) {
                    int o = pair * r, oc = c * r, oe = e * r;
                    for (int s = 0; s < r; s++) xxPairs[o + s] = xt[oc + s] * xt[oe + s];
                }
            }
            for (int b = 0, pair = 0; b < k; b++) {
                for (int a = 0; a <= b; a++, pair++) {
                    int o = pair * r;
                    for (int s = 0; s < r; s++) {
                        int t = s * k;
                        qPairs[o + s] = yt[t + a] * yt[t + b] - 0.5 * z[t + a] * z[t + b];
                    }
                }
            }
            // G (kp x qp, column-major) += Qpairs^T (kp x r) XX (r x qp).
            Blas.native3().dgemm("T", "N", kp, qp, r, 1.0, qPairs, r, xxPairs, r, from == 0 ? 0.0 : 1.0, blockG, kp);
        }
        sumG.add(blockG);
        sumZ.add(blockZ);
        java.util.Arrays.fill(blockZ, 0.0);
    }

    private void ensureScratch(int rows, int d) {
        if (blockG == null) blockG = new double[kp * qp];
        if (blockZ == null) blockZ = new double[3 * k];
        if (yt == null || yt.length < k * rows) {
            yt = new double[k * rows];
            z = new double[k * rows];
            xr = new double[q * rows];
            xt = new double[q * rows];
            qPairs = new double[kp * rows];
            xxPairs = new double[qp * rows];
        }
    }

    /** The averaged moment G (driver side). */
    public DetectorMoment result() {
        if (count() == 0) throw new IllegalStateException("no rows were aggregated: the data set is empty");
        double[] g = sumG.value();
        double inv = 1.0 / count();
        for (int i = 0; i < g.length; i++) g[i] *= inv;
        double[] zs = sumZ.value();
        for (int i = 0; i < zs.length; i++) zs[i] *= inv;
        return new DetectorMoment(k, q, count(), g, zs);
    }
}
