package org.relulearn.algo.hermite;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 3 of the Hermite fit: the L random contractions of the stacked order-3/4 statistic on the
 * m-dimensional subspace, never forming an order-3 tensor (docs/hermite.md, Algorithm):
 * <pre>
 *   M_l = mean( yr [ He_3(u)(I,I,g_l) + He_4(u)(I,I,G_l) ] ),   u = V^T x
 * </pre>
 * By the closed forms of docs/tensor-gd.md, Model the per-row matrices are sums of u u^T, u g^T, I,
 * G u u^T ... weighted by scalars, so it suffices to accumulate per block
 * <pre>
 *   A_l = sum yr (g_l.u + u^T G_l u) u u^T   (l = 1..L),   S2 = sum yr u u^T,   s1 = sum yr u,   s0 = sum yr
 * </pre>
 * with gemms: P = U [G_1|...|G_L|g_1..g_L] gives every g_l.u and G_l u, then the stacked
 * [c_1 u | ... | c_L u | yr u] times U^T gives every A_l and S2 in one gemm. The driver assembles
 * ({@link #matrices}):
 * <pre>
 *   n M_l = A_l - tr(G_l) S2 - (g_l.s1 + tr(G_l S2) - tr(G_l) s0) I - g_l s1^T - s1 g_l^T - 2 (G_l S2 + S2 G_l) + 2 s0 G_l
 * </pre>
 */
public final class ContractionAggregator extends SummingAggregator<ContractionAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<LabelResidual> residual;
    private final Shared<RandomContractions> contractions;
    private final int m;
    private final int count;
    private final CompensatedSum sumA;     // column-major m x (L+1) m: A_1 .. A_L, S2
    private final CompensatedSum sumS;     // s1 (m), s0, sum yr^2
    private transient double[] u, p, z, a, yc, yr, s;

    public ContractionAggregator(Shared<LabelResidual> residual, Shared<RandomContractions> contractions) {
        this.residual = residual;
        this.contractions = contractions;
        this.m = contractions.value().m();
        this.count = contractions.value().count();
        this.sumA = sums(m * (count + 1) * m);
        this.sumS = sums(m + 2);
    }

    @Override
    protected void addRows(Block b) {
        int rows = b.rows();
        if (rows == 0) return;
        int w = count * m + count, zw = (count + 1) * m;
        if (u == null || yc.length < rows) {
            u = new double[rows * m];
            p = new double[rows * w];
            z = new double[rows * zw];
            a = new double[m * zw];
            yc = new double[rows];
            yr = new double[rows];
            s = new double[m + 2];
        }
        LabelResidual res = residual.value();
        double[] h = contractions.value().stacked();
        res.project(b.x(), rows, u);
        res.residuals(b.x(), b.y(), rows, u, yc, yr);
        // P^T (w x rows, column-major) = H^T U^T; row-major H (m x w) is column-major H^T.
        Blas.native3().dgemm("N", "N", w, rows, m, 1.0, h, w, u, m, 0.0, p, w);
        java.util.Arrays.fill(s, 0);
        for (int r = 0; r < rows; r++) {
            int uo = r * m, po = r * w, zo = r * zw;
            double y = yr[r];
            for (int l = 0; l < count; l++) {
                double q = p[po + count * m + l];
                int go = po + l * m;
                for (int j = 0; j < m; j++) q += u[uo + j] * p[go + j];
                double c = y * q;
                int t = zo + l * m;
                for (int j = 0; j < m; j++) z[t + j] = c * u[uo + j];
            }
            int t = zo + count * m;
            for (int j = 0; j < m; j++) {
                double v = y * u[uo + j];
                z[t + j] = v;
                s[j] += v;
            }
            s[m] += y;
            s[m + 1] += y * y;
        }
        // [A_1 .. A_L S2] (m x zw, column-major) = U^T Z.
        Blas.native3().dgemm("N", "T", m, zw, rows, 1.0, u, m, z, zw, 0.0, a, m);
        sumA.add(a);
        sumS.add(s);
    }

    /** The L matrices M_l (each row-major m x m, symmetric), assembled from the sums. */
    public double[][] matrices() {
        RandomContractions rc = contractions.value();
        double[] av = sumA.value(), sv = sumS.value();
        double[] s2 = new double[m * m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) s2[i * m + j] = av[(count * m + j) * m + i];
        double[] s1 = java.util.Arrays.copyOf(sv, m);
        double s0 = sv[m];
        double[][] out = new double[count][];
        for (int l = 0; l < count; l++) {
            double[] g = rc.vector(l), gm = rc.matrix(l);
            double trG = 0, trGS2 = 0, gs1 = 0;
            for (int i = 0; i < m; i++) {
                trG += gm[i * m + i];
                gs1 += g[i] * s1[i];
                for (int j = 0; j < m; j++) trGS2 += gm[i * m + j] * s2[j * m + i];
            }
            double diag = gs1 + trGS2 - trG * s0;
            double[] ml = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double gs = 0, sg = 0;
                    for (int q = 0; q < m; q++) {
                        gs += gm[i * m + q] * s2[q * m + j];
                        sg += s2[i * m + q] * gm[q * m + j];
                    }
                    double v = av[(l * m + j) * m + i] - trG * s2[i * m + j] - g[i] * s1[j] - s1[i] * g[j] - 2 * (gs + sg)
                            + 2 * s0 * gm[i * m + j];
                    if (i == j) v -= diag;
                    ml[i * m + j] = v / count();
                }
            }
            // Symmetrise against round-off (the population matrix is symmetric).
            for (int i = 0; i < m; i++) for (int j = 0; j < i; j++) {
                double v = 0.5 * (ml[i * m + j] + ml[j * m + i]);
                ml[i * m + j] = v;
                ml[j * m + i] = v;
            }
            out[l] = ml;
        }
        return out;
    }

    /** The variance of the residual yr used for orders >= 3 (a variance-reduction diagnostic). */
    public double residualVariance() {
        double[] sv = sumS.value();
        double mean = sv[m] / count();
        return Math.max(0, sv[m + 1] / count() - mean * mean);
    }
}
