package org.relulearn.algo.hermite;

import java.io.Serializable;
import org.relulearn.data.CounterRng;

/**
 * The L random contraction directions of pass 3 (docs/hermite.md, Algorithm): g_l ~ N(0, I_m) and a
 * symmetrised Gaussian G_l (upper entries N(0,1), mirrored), all drawn from (seed, l) so a run is
 * reproducible. {@link #stacked} is the m x (L m + L) matrix [G_1 | ... | G_L | g_1 ... g_L]
 * (row-major), so one gemm U H gives every row's G_l u and g_l.u at once.
 */
public record RandomContractions(int m, int count, double[] g, double[] gMatrices, double[] stacked) implements Serializable {
    private static final long STREAM = 0x4E_12_3A_77L;

    public static RandomContractions draw(int m, int count, long seed) {
        double[] g = new double[count * m];
        double[] gm = new double[count * m * m];
        CounterRng rng = new CounterRng();
        for (int l = 0; l < count; l++) {
            rng.reset(seed, STREAM, l);
            for (int i = 0; i < m; i++) g[l * m + i] = rng.nextGaussian();
            int o = l * m * m;
            for (int i = 0; i < m; i++) {
                for (int j = i; j < m; j++) {
                    double v = rng.nextGaussian();
                    gm[o + i * m + j] = v;
                    gm[o + j * m + i] = v;
                }
            }
        }
        int w = count * m + count;
        double[] h = new double[m * w];
        for (int l = 0; l < count; l++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) h[i * w + l * m + j] = gm[l * m * m + i * m + j];
                h[i * w + count * m + l] = g[l * m + i];
            }
        }
        return new RandomContractions(m, count, g, gm, h);
    }

    /** g_l as a new m-vector. */
    public double[] vector(int l) {
        double[] out = new double[m];
        System.arraycopy(g, l * m, out, 0, m);
        return out;
    }

    /** G_l as a new row-major m x m matrix. */
    public double[] matrix(int l) {
        double[] out = new double[m * m];
        System.arraycopy(gMatrices, l * m * m, out, 0, m * m);
        return out;
    }
}
