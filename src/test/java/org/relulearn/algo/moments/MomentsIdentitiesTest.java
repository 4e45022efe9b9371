package org.relulearn.algo.moments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SyntheticData;
import org.relulearn.linalg.Dense;

/**
 * The identities by Monte Carlo at n = 2e6 (docs/moments.md, Identities): I1 and I3
 * on the symmetric mixture (d=6, k=3, l=4, noise sd 0.3), I2 on N(0, I) where E|w.x| = sqrt(2/pi) ||w||.
 */
class MomentsIdentitiesTest {
    static final int D = 6, K = 3, L = 4;
    static final long N = 2_000_000;

    static OneHiddenLayerNetwork teacher() { return Teachers.randomNetwork(D, K, L, 3, false, 0, 0); }

    static SyntheticSource source(String law, long stream) {
        return new SyntheticSource(Distributions.parse(law, D), teacher(), AdditiveNoise.isotropic(L, 0.3), N, 5, stream, 4096);
    }

    static double relErr(double[] est, double[] truth) { return Dense.distance(est, truth) / Dense.norm(truth); }

    @Test
    void identityI1LinearPartIsAW() {
        Moments mo = new LocalPassRunner(2).aggregate(new SyntheticData(source("mixture", 0)), () -> new MomentAggregator(D, L), "t").result();
        OneHiddenLayerNetwork t = teacher();
        double e = relErr(MomentsSolver.linearPart(mo), Dense.multiply(t.outputWeights(), L, K, t.weights(), D));
        System.out.println("I1 relative error " + e);
        assertTrue(e <= 0.01, "I1 relative error " + e);
    }

    @Test
    void identityI2MeanOfYIsHalfATimesMeanAbsWx() {
        Moments mo = new LocalPassRunner(2).aggregate(new SyntheticData(source("gaussian", 0)), () -> new MomentAggregator(D, L), "t").result();
        OneHiddenLayerNetwork t = teacher();
        double[] w = t.weights(), absMean = new double[K];
        for (int i = 0; i < K; i++) {
            double s = 0;
            for (int j = 0; j < D; j++) s += w[i * D + j] * w[i * D + j];
            absMean[i] = Math.sqrt(2 / Math.PI) * Math.sqrt(s);
        }
        double[] pred = Dense.multiply(t.outputWeights(), L, K, absMean, 1);
        for (int i = 0; i < L; i++) pred[i] *= 0.5;
        double e = relErr(mo.meanY(), pred);
        System.out.println("I2 relative error " + e);
        assertTrue(e <= 0.01, "I2 relative error " + e);
    }

    /** sum over rows of (w_i.x)(w_j.x) 1{(w_i.x)(w_j.x) < 0} x x^T for each pair i < j (the N_ij of S4), d x d each. */
    static final class DistinguishingAggregator implements Aggregator<DistinguishingAggregator> {
        private static final long serialVersionUID = 1L;
        final double[] w;
        final double[][] sums = new double[K * (K - 1) / 2][D * D];
        long n;

        DistinguishingAggregator(double[] w) { this.w = w; }

        public void add(Block b) {
            double[] x = b.x(), a = new double[K];
            for (int r = 0; r < b.rows(); r++) {
                for (int i = 0; i < K; i++) {
                    a[i] = 0;
                    for (int j = 0; j < D; j++) a[i] += w[i * D + j] * x[r * D + j];
                }
                for (int i = 0, p = 0; i < K; i++) for (int j = i + 1; j < K; j++, p++) {
                    double c = a[i] * a[j];
                    if (c >= 0) continue;
                    for (int u = 0; u < D; u++) for (int v = 0; v < D; v++) sums[p][u * D + v] += c * x[r * D + u] * x[r * D + v];
                }
            }
            n += b.rows();
        }

        public DistinguishingAggregator merge(DistinguishingAggregator o) {
            for (int p = 0; p < sums.length; p++) for (int i = 0; i < D * D; i++) sums[p][i] += o.sums[p][i];
            n += o.n;
            return this;
        }

        public long count() { return n; }
    }

    @Test
    void identityI3DetectorMomentMatchesTheDistinguishingMatrices() {
        OneHiddenLayerNetwork t = teacher();
        double[] a = t.outputWeights(), w = t.weights();
        double[] b = Dense.multiply(a, L, K, w, D);
        double[] eye = new double[L * L];
        for (int i = 0; i < L; i++) eye[i * L + i] = 1;
        // P = I_l and Bt = the true A W: G then gives T(U) for every symmetric l x l U.
        DetectorProjection pr = new DetectorProjection(L, L, D, eye, b, null);
        LocalPassRunner runner = new LocalPassRunner(2);
        DetectorMoment g = runner.aggregate(new SyntheticData(source("mixture", 0)), () -> new DetectorMomentAggregator(Shared.local(pr)), "t").result();
        DistinguishingAggregator nij = runner.aggregate(new SyntheticData(source("mixture", 7)), () -> new DistinguishingAggregator(w), "t");
        double[] sigma = Distributions.parse("mixture", D).secondMoment();
        double[] u = {1.0, 0.3, -0.5, 0.2, 0.3, -0.7, 0.4, 0.1, -0.5, 0.4, 0.9, -0.3, 0.2, 0.1, -0.3, 0.5};
        double[] tU = new double[D * D], rhs = new double[D * D];
        double trUSigmaXi = 0;
        for (int i = 0; i < L; i++) trUSigmaXi += u[i * L + i] * 0.09;
        double[] m = Dense.multiply(Dense.multiply(Dense.transpose(a, L, K), K, L, u, L), K, L, a, K);
        for (int c = 0; c < D; c++) for (int e = 0; e < D; e++) {
            double s = 0;
            for (int p = 0; p < L; p++) for (int q = 0; q < L; q++) s += u[p * L + q] * g.get(p, q, c, e);
            tU[c * D + e] = s;
            double r = trUSigmaXi * sigma[c * D + e];
            for (int i = 0, p = 0; i < K; i++) for (int j = i + 1; j < K; j++, p++) r -= m[i * K + j] * nij.sums[p][c * D + e] / nij.n;
            rhs[c * D + e] = r;
        }
        double e = relErr(tU, rhs);
        System.out.println("I3 relative error " + e);
        assertTrue(e <= 0.03, "I3 relative error " + e);
    }
}
