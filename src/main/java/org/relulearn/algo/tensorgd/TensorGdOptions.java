package org.relulearn.algo.tensorgd;

import java.io.Serializable;
import org.relulearn.algo.tensor.Jennrich;

/**
 * Options of the tensor-initialisation + gradient-descent trainer
 * (docs/tensor-gd.md, Usage). Every deviation from the paper is a switch; {@link #faithful}
 * turns them all off.
 *
 * @param k                 hidden units K (1 <= K <= d), or {@link #AUTO_K} (0): chosen from the spectrum of P2hat
 *                          by {@link HiddenUnitCount}
 * @param v                 known output weights (length K), or null: signs unknown, recovered by Phase I (v_j = +-1)
 * @param split             FAITHFUL: disjoint S2/S3/S4a/S4b; REUSE [DEV]: every step uses every row
 * @param varianceReduction [DEV] subtract the estimated degree <= 2 part of y before the order-2/4 statistics
 * @param variant           ALPHA (faithful: M4(V,V,V,alpha)) or M4PROJ [DEV]: M4(V,V,V,V)
 * @param jennrichTrials    restarts of the Jennrich decomposer
 * @param init              TENSOR (Phase I) or RANDOM (unit-norm Gaussian rows, for the baseline)
 * @param initOnly          stop after Phase I
 * @param eta               GD step size; NaN = 1/lambda_max of the Gauss-Newton matrix at W^(0)
 * @param powerIterations   power iterations (one pass each) for lambda_max
 * @param iterations        GD iteration cap T
 * @param tol               stop when ||W_{t+1} - W_t||_F / ||W_t||_F < tol
 * @param halveOnIncrease   [DEV] reject a step that raises the loss and halve eta
 * @param strictGaussian    a failed Gaussian-input check is an error (else a warning)
 * @param seed              every random draw (split hash, alpha, Jennrich, KCL projections, random init)
 * @param decomposer        JENNRICH [DEV] or KCL (faithful) for the order-3/4 decomposition
 */
public record TensorGdOptions(int k, double[] v, Split split, boolean varianceReduction, Variant variant, int jennrichTrials,
                              Init init, boolean initOnly, double eta, int powerIterations, int iterations, double tol,
                              boolean halveOnIncrease, boolean strictGaussian, long seed, Decomposer decomposer) implements Serializable {

    public enum Split { FAITHFUL, REUSE }

    public enum Variant { ALPHA, M4PROJ }

    public enum Init { TENSOR, RANDOM }

    /** Step 3's decomposer: JENNRICH [DEV] (restarts scored by residual) or KCL (faithful: random projections + QRJ1D). */
    public enum Decomposer { JENNRICH, KCL }

    /** K = 0: choose the number of hidden units from the spectrum of P2hat ({@link HiddenUnitCount}). */
    public static final int AUTO_K = 0;

    public TensorGdOptions {
        if (k < 0) throw new IllegalArgumentException("hidden units K must be >= 1 (or 0 = auto), got " + k);
        if (k == AUTO_K && v != null) {
            throw new IllegalArgumentException("known output weights fix K = " + v.length + ": give K = " + v.length + " (not auto)");
        }
        if (v != null) {
            if (v.length != k) throw new IllegalArgumentException("known output weights v must have K = " + k + " entries, got " + v.length);
            for (int j = 0; j < k; j++) {
                if (!Double.isFinite(v[j]) || v[j] == 0) {
                    throw new IllegalArgumentException("output weight v_" + j + " = " + v[j] + " must be finite and nonzero");
                }
            }
            v = v.clone();
        }
        if (split == null || variant == null || init == null || decomposer == null) {
            throw new IllegalArgumentException("split, variant, init and decomposer are required");
        }
        if (jennrichTrials < 1) throw new IllegalArgumentException("Jennrich trials must be >= 1, got " + jennrichTrials);
        if (!Double.isNaN(eta) && !(eta > 0 && Double.isFinite(eta))) {
            throw new IllegalArgumentException("step size eta must be > 0 (or unset for the automatic rule), got " + eta);
        }
        if (powerIterations < 1) throw new IllegalArgumentException("power iterations must be >= 1, got " + powerIterations);
        if (iterations < 0) throw new IllegalArgumentException("GD iterations must be >= 0, got " + iterations);
        if (!(tol >= 0)) throw new IllegalArgumentException("tolerance must be >= 0, got " + tol);
    }

    /** The recommended configuration with K chosen from the spectrum. */
    public static TensorGdOptions defaults() { return defaults(AUTO_K); }

    /** The recommended configuration (docs/tensor-gd.md, Design): faithful split, variance reduction, m4proj, Jennrich(30), eta auto, T = 5000, tol 1e-7
     *  (GD contracts slowly when the teacher's units are correlated; 1e-7 relative step is well below the
     *  statistical error of any realistic n, and the cap is only reached on ill-conditioned fits). */
    public static TensorGdOptions defaults(int k) {
        return new TensorGdOptions(k, null, Split.FAITHFUL, true, Variant.M4PROJ, Jennrich.DEFAULT_TRIALS, Init.TENSOR, false,
                Double.NaN, 10, 5000, 1e-7, true, false, 1, Decomposer.JENNRICH);
    }

    /** The paper's configuration: faithful split, no variance reduction, alpha variant, KCL decomposer, constant eta (no halving). */
    public TensorGdOptions faithful() {
        return new TensorGdOptions(k, v, Split.FAITHFUL, false, Variant.ALPHA, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, false, strictGaussian, seed, Decomposer.KCL);
    }

    /** True when K is to be chosen from the spectrum. */
    public boolean autoK() { return k == AUTO_K; }

    public TensorGdOptions withK(int nk) {
        return new TensorGdOptions(nk, v, split, varianceReduction, variant, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withDecomposer(Decomposer x) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, x);
    }

    public TensorGdOptions withV(double[] nv) {
        return new TensorGdOptions(k, nv, split, varianceReduction, variant, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withSplit(Split s) {
        return new TensorGdOptions(k, v, s, varianceReduction, variant, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withVarianceReduction(boolean on) {
        return new TensorGdOptions(k, v, split, on, variant, jennrichTrials, init, initOnly, eta, powerIterations, iterations, tol,
                halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withVariant(Variant x) {
        return new TensorGdOptions(k, v, split, varianceReduction, x, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withInit(Init i) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, i, initOnly, eta, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withInitOnly(boolean only) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, only, eta, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withEta(double e) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, initOnly, e, powerIterations,
                iterations, tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withIterations(int t, double tolerance) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, initOnly, eta, powerIterations,
                t, tolerance, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withStrictGaussian(boolean strict) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, halveOnIncrease, strict, seed, decomposer);
    }

    public TensorGdOptions withSeed(long s) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, initOnly,
                eta, powerIterations, iterations, tol, halveOnIncrease, strictGaussian, s, decomposer);
    }

    public TensorGdOptions withJennrichTrials(int trials) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, trials, init, initOnly, eta, powerIterations, iterations,
                tol, halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withPowerIterations(int p) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, initOnly, eta, p, iterations, tol,
                halveOnIncrease, strictGaussian, seed, decomposer);
    }

    public TensorGdOptions withHalveOnIncrease(boolean on) {
        return new TensorGdOptions(k, v, split, varianceReduction, variant, jennrichTrials, init, initOnly, eta, powerIterations,
                iterations, tol, on, strictGaussian, seed, decomposer);
    }

    /** A copy of v, or null when unknown. */
    @Override
    public double[] v() { return v == null ? null : v.clone(); }
}
