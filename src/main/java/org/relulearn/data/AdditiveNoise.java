package org.relulearn.data;

import java.util.LinkedHashMap;
import java.util.Map;

/** Additive label noise y += L z, z ~ N(0, I_m): noise covariance L L^T (L lower-triangular, row-major). */
public final class AdditiveNoise implements LabelCorruption {
    private static final long serialVersionUID = 1L;
    private final int m;
    private final double[] chol;
    private final double[] covariance;

    private AdditiveNoise(int m, double[] chol, double[] covariance) {
        this.m = m;
        this.chol = chol;
        this.covariance = covariance;
    }

    /** Isotropic noise of standard deviation sigma on each of m outputs. */
    public static AdditiveNoise isotropic(int m, double sigma) {
        Checks.atLeast("outputs m", m, 1);
        Checks.nonNegative("noise sigma", sigma);
        double[] l = new double[m * m], c = new double[m * m];
        for (int i = 0; i < m; i++) {
            l[i * m + i] = sigma;
            c[i * m + i] = sigma * sigma;
        }
        return new AdditiveNoise(m, l, c);
    }

    /** Noise of the given m x m covariance (symmetric positive semi-definite, row-major). */
    public static AdditiveNoise withCovariance(int m, double[] covariance) {
        if (covariance.length != m * m) throw new IllegalArgumentException("noise covariance must be " + m + " x " + m);
        // The factor reads only the lower triangle: an asymmetric or non-finite matrix would give noise
        // of another covariance than the one reported in truth.json.
        Checks.allFinite("noise covariance", covariance);
        Checks.symmetric("noise covariance", covariance, m);
        return new AdditiveNoise(m, org.relulearn.linalg.Dense.choleskyPsd(covariance, m), covariance.clone());
    }

    public double[] covariance() { return covariance.clone(); }

    public void corruptRow(Block block, int r, long index, CounterRng rng, AdversaryContext ctx) {
        double[] y = block.y();
        int o = r * m;
        // y += L z column by column: z_j is drawn once and spread down column j of L, so no
        // scratch vector is needed.
        for (int j = 0; j < m; j++) {
            double z = rng.nextGaussian();
            for (int i = j; i < m; i++) y[o + i] += chol[i * m + j] * z;
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "additive-gaussian");
        out.put("covariance", OneHiddenLayerNetwork.rows(covariance, m, m));
        return out;
    }
}
