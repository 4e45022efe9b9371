package org.relulearn.algo.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.linalg.Blas;

/**
 * The packed, branch-free accumulation of sum x x^T and sum y y^T must give bit for bit what the
 * original full-matrix Neumaier accumulation gave (reimplemented here as the reference).
 */
class MomentAggregatorPackedTest {

    private static void neumaier(double[] s, double[] c, double[] v) {
        for (int i = 0; i < s.length; i++) {
            double t = s[i] + v[i];
            if (Math.abs(s[i]) >= Math.abs(v[i])) c[i] += (s[i] - t) + v[i]; else c[i] += (v[i] - t) + s[i];
            s[i] = t;
        }
    }

    @Test
    void packedMomentsEqualTheFullMatrixReferenceBitForBit() {
        int d = 13, k = 3, m = 2;
        SyntheticSource src = new SyntheticSource(Distributions.parse("laplace", d), Teachers.randomNetwork(d, k, m, 5, true, 0, 0),
                AdditiveNoise.isotropic(m, 0.3), 50_000, 3, 0, 777);
        MomentAggregator agg = new MomentAggregator(d, m);
        double[] sXX = new double[d * d], cXX = new double[d * d], sYY = new double[m * m], cYY = new double[m * m];
        double[] bXX = new double[d * d], bYY = new double[m * m];
        double[] sumX = new double[d], sXs = new double[d], cXs = new double[d], sumY = new double[m], sYs = new double[m], cYs = new double[m];
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, buf, ws);
            agg.add(blk);
            Blas.native3().dsyrk("U", "N", d, blk.rows(), 1.0, blk.x(), d, 0.0, bXX, d);
            neumaier(sXX, cXX, bXX);
            Blas.native3().dsyrk("U", "N", m, blk.rows(), 1.0, blk.y(), m, 0.0, bYY, m);
            neumaier(sYY, cYY, bYY);
            for (int r = 0; r < blk.rows(); r++) {
                for (int j = 0; j < d; j++) sumX[j] += blk.x()[r * d + j];
                for (int j = 0; j < m; j++) sumY[j] += blk.y()[r * m + j];
            }
            neumaier(sXs, cXs, sumX);
            neumaier(sYs, cYs, sumY);
            java.util.Arrays.fill(sumX, 0.0);
            java.util.Arrays.fill(sumY, 0.0);
        }
        Moments mo = agg.result();
        assertEquals(50_000, mo.n());
        assertArrayEquals(reference(sXX, cXX, d, mo.n()), mo.secondX(), 0.0);
        assertArrayEquals(reference(sYY, cYY, m, mo.n()), mo.secondY(), 0.0);
        for (int j = 0; j < d; j++) assertEquals((sXs[j] + cXs[j]) * (1.0 / mo.n()), mo.meanX()[j], 0.0);
        for (int j = 0; j < m; j++) assertEquals((sYs[j] + cYs[j]) * (1.0 / mo.n()), mo.meanY()[j], 0.0);
    }

    @Test
    void rowSumsAddRowsInOrderBitForBitAtEveryWidth() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int width : new int[] {1, 3, 10, 31, 32, 100, 257}) {
            for (int rows : new int[] {0, 1, 3, 4, 7, 130}) {
                double[] a = new double[rows * width];
                for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-30, 30));
                double[] expected = new double[width];
                for (int r = 0; r < rows; r++) for (int j = 0; j < width; j++) expected[j] += a[r * width + j];
                double[] out = new double[width];
                java.util.Arrays.fill(out, 42.0); // must be reset, not added to
                MomentAggregator.rowSums(a, rows, width, out);
                assertArrayEquals(expected, out, 0.0, "width " + width + ", rows " + rows);
            }
        }
    }

    /** The reference's upper triangle, mirrored and averaged as result() does. */
    private static double[] reference(double[] s, double[] c, int k, long n) {
        double[] full = new double[k * k];
        double inv = 1.0 / n;
        for (int j = 0; j < k; j++) {
            for (int i = 0; i <= j; i++) {
                double v = s[i + j * k] + c[i + j * k];
                full[i + j * k] = v * inv;
                full[j + i * k] = v * inv;
            }
        }
        return full;
    }
}
