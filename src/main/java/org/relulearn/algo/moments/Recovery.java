package org.relulearn.algo.moments;

import org.relulearn.linalg.Hungarian;

/**
 * Recovery errors of a two-layer network against a known truth, modulo the inherent ambiguity
 * (permutation and positive scaling of hidden units). Both networks are put in canonical form
 * (unit-norm rows of W, {@link MomentsSolver#canonicalise}); recovered units are matched to true
 * ones by a maximum-|cosine| assignment of the rows of W ({@link Hungarian}); then
 * <pre>
 *   eW = ||W_hat Pi - W||_F / ||W||_F,   eA = ||A_hat Pi - A||_F / ||A||_F
 * </pre>
 * A sign error is not forgiven: |cosine| only drives the matching, the errors use signed entries.
 *
 * @param eW           relative Frobenius error of W
 * @param eA           relative Frobenius error of A
 * @param matching     matching[i] = the recovered unit matched to true unit i
 * @param minAbsCosine the smallest |cosine| among matched pairs
 */
public record Recovery(double eW, double eA, int[] matching, double minAbsCosine) {

    /**
     * @param aHat recovered A, row-major l x k   @param wHat recovered W, row-major k x d
     * @param a    true A, row-major l x k        @param w    true W, row-major k x d
     */
    public static Recovery of(double[] aHat, double[] wHat, double[] a, double[] w, int l, int k, int d) {
        double[] ah = aHat.clone(), wh = wHat.clone(), at = a.clone(), wt = w.clone();
        MomentsSolver.canonicalise(ah, wh, l, k, d);
        MomentsSolver.canonicalise(at, wt, l, k, d);
        double[] score = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += wt[i * d + c] * wh[j * d + c];
                score[i * k + j] = Math.abs(dot);
            }
        }
        int[] match = Hungarian.maximise(score, k, k);
        double minCos = 1, ew = 0, nw = 0, ea = 0, na = 0;
        for (int i = 0; i < k; i++) {
            int j = match[i];
            minCos = Math.min(minCos, score[i * k + j]);
            for (int c = 0; c < d; c++) {
                double diff = wh[j * d + c] - wt[i * d + c];
                ew += diff * diff;
                nw += wt[i * d + c] * wt[i * d + c];
            }
            for (int r = 0; r < l; r++) {
                double diff = ah[r * k + j] - at[r * k + i];
                ea += diff * diff;
                na += at[r * k + i] * at[r * k + i];
            }
        }
        return new Recovery(Math.sqrt(ew / nw), Math.sqrt(ea / na), match, minCos);
    }
}
