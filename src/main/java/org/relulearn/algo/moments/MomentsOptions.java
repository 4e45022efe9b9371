package org.relulearn.algo.moments;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Validated options of one method-of-moments fit (docs/moments.md, Algorithm and Certificates).
 *
 * @param k                 hidden width, or 0 to choose it from the largest ratio gap of B's singular values
 * @param weighting         FULL (x x^T), REDUCED (xr xr^T, xr = V_k^T x) or AUTO (REDUCED when G would exceed memoryCapBytes)
 * @param memoryCapBytes    cap on the size of one partial G (8 k(k+1)/2 d(d+1)/2 bytes) for AUTO weighting
 * @param symmetryTolerance tau: the fit stops when ||mean x|| / sqrt(tr Sigma_x / d) > tau + 3 sqrt(d / n)
 *                          (the second term is the statistic's sampling scale for a symmetric law)
 * @param minSingularGap    the fit stops when S_k / S_{k+1} of B is below this
 * @param minNullGap        the fit stops when the null gap is below this (default 1.5, docs/moments.md, Certificates)
 * @param refit             run pass 3 (least-squares A for the recovered W)
 * @param seed              seed of the diagonalisation's random starts and combinations
 * @param diagonaliser      WHITENED (robust, default) or PAPER (random pairs, for comparison); docs/moments.md, Algorithm, step 3
 */
public record MomentsOptions(int k, Weighting weighting, long memoryCapBytes, double symmetryTolerance,
                             double minSingularGap, double minNullGap, boolean refit, long seed, Diagonaliser diagonaliser)
        implements Serializable {

    public enum Weighting { AUTO, FULL, REDUCED }

    public enum Diagonaliser { WHITENED, PAPER }

    public MomentsOptions {
        if (k < 0) throw new IllegalArgumentException("hidden width k must be >= 1 (or 0 to choose it from the data), got " + k);
        if (weighting == null) weighting = Weighting.AUTO;
        if (diagonaliser == null) diagonaliser = Diagonaliser.WHITENED;
        if (memoryCapBytes < 1) throw new IllegalArgumentException("memory cap must be >= 1 byte, got " + memoryCapBytes);
        if (!(symmetryTolerance > 0)) throw new IllegalArgumentException("symmetry tolerance must be > 0, got " + symmetryTolerance);
        if (!(minSingularGap >= 1)) throw new IllegalArgumentException("minimum singular-value gap must be >= 1, got " + minSingularGap);
        if (!(minNullGap >= 1)) throw new IllegalArgumentException("minimum null gap must be >= 1, got " + minNullGap);
    }

    /** Defaults: k from the data, AUTO weighting with a 256 MiB cap, tau = 0.1, gaps 2 and 1.5, refit on, seed 1, whitened. */
    public static MomentsOptions defaults() {
        return new MomentsOptions(0, Weighting.AUTO, 256L << 20, 0.1, 2.0, 1.5, true, 1, Diagonaliser.WHITENED);
    }

    public MomentsOptions withK(int newK) {
        return new MomentsOptions(newK, weighting, memoryCapBytes, symmetryTolerance, minSingularGap, minNullGap, refit, seed, diagonaliser);
    }

    public MomentsOptions withWeighting(Weighting w) {
        return new MomentsOptions(k, w, memoryCapBytes, symmetryTolerance, minSingularGap, minNullGap, refit, seed, diagonaliser);
    }

    public MomentsOptions withMemoryCap(long bytes) {
        return new MomentsOptions(k, weighting, bytes, symmetryTolerance, minSingularGap, minNullGap, refit, seed, diagonaliser);
    }

    public MomentsOptions withGaps(double singular, double nullGap) {
        return new MomentsOptions(k, weighting, memoryCapBytes, symmetryTolerance, singular, nullGap, refit, seed, diagonaliser);
    }

    public MomentsOptions withRefit(boolean r) {
        return new MomentsOptions(k, weighting, memoryCapBytes, symmetryTolerance, minSingularGap, minNullGap, r, seed, diagonaliser);
    }

    public MomentsOptions withSeed(long s) {
        return new MomentsOptions(k, weighting, memoryCapBytes, symmetryTolerance, minSingularGap, minNullGap, refit, s, diagonaliser);
    }

    public MomentsOptions withDiagonaliser(Diagonaliser dg) {
        return new MomentsOptions(k, weighting, memoryCapBytes, symmetryTolerance, minSingularGap, minNullGap, refit, seed, dg);
    }

    public static Diagonaliser parseDiagonaliser(String s) {
        try {
            return Diagonaliser.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown diagonalisation '" + s + "': use whitened or paper");
        }
    }

    /** Bytes of one partial G for full-x weighting at (d, k). */
    public static long fullWeightingBytes(int d, int k) {
        return 8L * (k * (k + 1L) / 2) * (d * (d + 1L) / 2);
    }

    public static Weighting parseWeighting(String s) {
        try {
            return Weighting.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weighting '" + s + "': use auto, full or reduced");
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", k == 0 ? "auto" : k);
        m.put("weighting", weighting.name().toLowerCase(Locale.ROOT));
        m.put("memoryCapBytes", memoryCapBytes);
        m.put("symmetryTolerance", symmetryTolerance);
        m.put("minSingularGap", minSingularGap);
        m.put("minNullGap", minNullGap);
        m.put("refit", refit);
        m.put("seed", seed);
        m.put("diagonaliser", diagonaliser.name().toLowerCase(Locale.ROOT));
        return m;
    }
}
