package org.relulearn.algo.tensorgd;

import java.util.Arrays;
import org.relulearn.algo.tensor.SymmetricTensors;
import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * Pass 3 of Phase I: the K-dimensional statistics of steps 2 and 4 (docs/tensor-gd.md, Design), computed from
 * u = V^T x only (one dgemm per block) -- never a d^3 or d^4 tensor. Rows are routed by the split:
 * <pre>
 *   S3,  alpha:  SA = sum y2 a u(x)u(x)u (packed),  s1 = sum y2 a u,  S2 = sum y2 u u^T,  s0 = sum y2,  N3   (a = alpha.x)
 *   S3,  m4proj: S4 = sum y2 u(x)u(x)u(x)u (packed), S2, s0, N3
 *   S4a: sum y' x (y' = y - ybar with variance reduction, else y),  N4a          -> Q1
 *   S4b: sum y1 u u^T, sum y1, N4b                                                -> Q2
 * </pre>
 * y1, y2 as in {@link Phase1Inputs}. In reuse mode every row feeds all three.
 */
public final class ProjectedMomentsAggregator extends SummingAggregator<ProjectedMomentsAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<Phase1Inputs> shared;
    private final int d, k;
    private final boolean alphaVariant;
    private final long[] stepRows = counters(3);   // rows of steps 3, 4a, 4b
    private final CompensatedSum high;     // SA or S4 (packed)
    private final CompensatedSum s1;       // alpha only
    private final CompensatedSum s2;       // S2, K x K
    private final CompensatedSum s0;
    private final CompensatedSum q1;       // d
    private final CompensatedSum q2;       // K x K
    private final CompensatedSum q2y;
    private transient double[] u, bHigh, bS1, bS2, bQ1, bQ2;

    public ProjectedMomentsAggregator(Shared<Phase1Inputs> shared) {
        this.shared = shared;
        Phase1Inputs in = shared.value();
        this.d = in.d();
        this.k = in.k();
        this.alphaVariant = in.variant() == TensorGdOptions.Variant.ALPHA;
        high = sums(alphaVariant ? SymmetricTensors.packedSize3(k) : SymmetricTensors.packedSize4(k));
        s1 = sums(alphaVariant ? k : 0);
        s2 = sums(k * k);
        s0 = sums(1);
        q1 = sums(d);
        q2 = sums(k * k);
        q2y = sums(1);
    }

    @Override
    protected void addRows(Block block) {
        int rows = block.rows();
        if (rows == 0) return;
        Phase1Inputs in = shared.value();
        if (u == null || u.length < rows * k) u = new double[rows * k];
        if (bHigh == null) {
            bHigh = new double[high.length()];
            bS1 = new double[k];
            bS2 = new double[k * k];
            bQ1 = new double[d];
            bQ2 = new double[k * k];
        }
        Arrays.fill(bHigh, 0);
        Arrays.fill(bS1, 0);
        Arrays.fill(bS2, 0);
        Arrays.fill(bQ1, 0);
        Arrays.fill(bQ2, 0);
        double[] x = block.x(), y = block.y(), m1 = in.m1(), alpha = in.alpha(), mp = in.mp();
        // Row-major V (d x K) is column-major V^T (K x d): U (K x rows) = V^T X^T.
        Blas.native3().dgemm("N", "N", k, rows, d, 1.0, in.v(), k, x, d, 0.0, u, k);
        SampleSplit split = in.split();
        boolean vr = in.varianceReduction();
        double ybar = in.ybar(), trMp = in.traceMp();
        double bs0 = 0, bq2y = 0;
        long c3 = 0, c4a = 0, c4b = 0;
        for (int r = 0; r < rows; r++) {
            long id = block.firstRow() + r;
            boolean reuse = split.reuse();
            int part = reuse ? -1 : split.part(id);
            int o = r * d, uo = r * k;
            double yr = y[r];
            double y1 = yr, lin = 0;
            if (vr) {
                for (int j = 0; j < d; j++) lin += m1[j] * x[o + j];
                y1 = yr - ybar - lin;
            }
            if (reuse || part == SampleSplit.S3) {
                double y2 = y1;
                if (vr) {
                    double quad = 0;
                    for (int i = 0; i < k; i++) {
                        double t = 0;
                        for (int j = 0; j < k; j++) t += mp[i * k + j] * u[uo + j];
                        quad += u[uo + i] * t;
                    }
                    y2 = y1 - 0.5 * (quad - trMp);
                }
                if (alphaVariant) {
                    double a = 0;
                    for (int j = 0; j < d; j++) a += alpha[j] * x[o + j];
                    double c = y2 * a;
                    SymmetricTensors.addCube(c, u, uo, k, bHigh);
                    for (int i = 0; i < k; i++) bS1[i] += c * u[uo + i];
                } else {
                    SymmetricTensors.addQuartic(y2, u, uo, k, bHigh);
                }
                addOuter(y2, u, uo, k, bS2);
                bs0 += y2;
                c3++;
            }
            if (reuse || part == SampleSplit.S4A) {
                double yq = vr ? yr - ybar : yr;
                for (int j = 0; j < d; j++) bQ1[j] += yq * x[o + j];
                c4a++;
            }
            if (reuse || part == SampleSplit.S4B) {
                addOuter(y1, u, uo, k, bQ2);
                bq2y += y1;
                c4b++;
            }
        }
        high.add(bHigh);
        if (alphaVariant) s1.add(bS1);
        s2.add(bS2);
        s0.add(0, bs0);
        q1.add(bQ1);
        q2.add(bQ2);
        q2y.add(0, bq2y);
        stepRows[0] += c3;
        stepRows[1] += c4a;
        stepRows[2] += c4b;
    }

    private static void addOuter(double c, double[] u, int uo, int k, double[] out) {
        for (int i = 0; i < k; i++) {
            double ci = c * u[uo + i];
            for (int j = 0; j < k; j++) out[i * k + j] += ci * u[uo + j];
        }
    }

    /** Rows seen by any step (every row in reuse mode). */
    @Override
    public long count() { return Math.max(stepRows[0], stepRows[1] + stepRows[2]); }

    /** The totals. */
    public ProjectedMoments result() {
        return new ProjectedMoments(k, d, alphaVariant, stepRows[0], stepRows[1], stepRows[2], high.value(), alphaVariant ? s1.value() : null, s2.value(),
                s0.value()[0], q1.value(), q2.value(), q2y.value()[0]);
    }

    /** Totals of pass 3 (see the class comment for each sum). */
    public record ProjectedMoments(int k, int d, boolean alphaVariant, long n3, long n4a, long n4b, double[] highPacked,
                                   double[] s1, double[] s2, double s0, double[] q1Sum, double[] q2Sum, double q2YSum) {}
}
