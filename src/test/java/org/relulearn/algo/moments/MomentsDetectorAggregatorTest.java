package org.relulearn.algo.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SyntheticData;

/** The blocked BLAS-3 pass-2 kernel against a plain per-row, per-entry reference sum. */
class MomentsDetectorAggregatorTest {

    private static double[] gaussian(int len, CounterRng rng) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) a[i] = rng.nextGaussian();
        return a;
    }

    private static void check(boolean reduced) {
        int d = 5, k = 3, m = 4;
        SyntheticSource src = new SyntheticSource(Distributions.parse("laplace", d), Teachers.randomNetwork(d, k, m, 5, true, 0, 0),
                AdditiveNoise.isotropic(m, 0.3), 5_000, 3, 0, 1500);
        CounterRng rng = new CounterRng(11, 0, 0);
        double[] p = gaussian(m * k, rng), bt = gaussian(k * d, rng);
        double[] vr = reduced ? gaussian(2 * d, rng) : null;
        int q = reduced ? 2 : d;
        DetectorProjection pr = new DetectorProjection(m, k, d, p, bt, vr);
        DetectorMoment g = new LocalPassRunner(3).aggregate(new SyntheticData(src),
                () -> new DetectorMomentAggregator(Shared.local(pr)), "test").result();
        assertEquals(5_000, g.n());
        // Reference: every row, every entry.
        int kp = k * (k + 1) / 2, qp = q * (q + 1) / 2;
        double[] ref = new double[kp * qp];
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        double[] yt = new double[k], z = new double[k], xr = new double[q];
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, buf, ws);
            for (int s = 0; s < blk.rows(); s++) {
                for (int a = 0; a < k; a++) {
                    yt[a] = 0;
                    z[a] = 0;
                    for (int i = 0; i < m; i++) yt[a] += p[i * k + a] * blk.y()[s * m + i];
                    for (int j = 0; j < d; j++) z[a] += bt[a * d + j] * blk.x()[s * d + j];
                }
                for (int c = 0; c < q; c++) {
                    if (!reduced) {
                        xr[c] = blk.x()[s * d + c];
                    } else {
                        xr[c] = 0;
                        for (int j = 0; j < d; j++) xr[c] += vr[c * d + j] * blk.x()[s * d + j];
                    }
                }
                for (int a = 0; a < k; a++) for (int bb = a; bb < k; bb++) for (int c = 0; c < q; c++) for (int e = c; e < q; e++) {
                    ref[DetectorMoment.pair(a, bb) + kp * DetectorMoment.pair(c, e)] +=
                            (yt[a] * yt[bb] - 0.5 * z[a] * z[bb]) * xr[c] * xr[e];
                }
            }
        }
        double scale = 0;
        for (double v : ref) scale = Math.max(scale, Math.abs(v / 5_000));
        for (int a = 0; a < k; a++) for (int bb = 0; bb < k; bb++) for (int c = 0; c < q; c++) for (int e = 0; e < q; e++) {
            int i = DetectorMoment.pair(a, bb) + kp * DetectorMoment.pair(c, e);
            assertEquals(ref[i] / 5_000, g.get(a, bb, c, e), 1e-12 * scale, "entry " + a + bb + c + e);
        }
    }

    @Test
    void fullXWeightingMatchesThePerRowReference() { check(false); }

    @Test
    void reducedXWeightingMatchesThePerRowReference() { check(true); }

    @Test
    void chunkingOfLongBlocksGivesTheSameSum() {
        int d = 40, k = 2, m = 2;
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), Teachers.randomNetwork(d, k, m, 5, true, 0, 0),
                null, 2_000, 3, 0, 2_000);
        CounterRng rng = new CounterRng(12, 0, 0);
        DetectorProjection pr = new DetectorProjection(m, k, d, gaussian(m * k, rng), gaussian(k * d, rng), null);
        DetectorMomentAggregator one = new DetectorMomentAggregator(Shared.local(pr));
        assertEquals(true, one.chunkRows() < 2_000, "test must exercise several chunks per block");
        DetectorMoment whole = new LocalPassRunner(1).aggregate(new SyntheticData(src), () -> new DetectorMomentAggregator(Shared.local(pr)), "t").result();
        DetectorMoment small = new LocalPassRunner(1).aggregate(new SyntheticData(src.withRowsPerBlock(100)),
                () -> new DetectorMomentAggregator(Shared.local(pr)), "t").result();
        for (int i = 0; i < whole.g().length; i++) assertEquals(small.g()[i], whole.g()[i], 1e-12 * (1 + Math.abs(small.g()[i])));
    }
}
