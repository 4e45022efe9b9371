package org.relulearn.algo.hermite;

import org.relulearn.linalg.Hungarian;

/**
 * Recovery errors of fitted units against a known network (docs/hermite.md, Acceptance gates). Both are put
 * in canonical form (unit-norm w_i, a_i |w_i|, b_i / |w_i|); fitted units are matched to true ones by
 * a maximum-|cosine| assignment ({@link Hungarian}); then, with signed entries (a wrong orientation
 * is not forgiven):
 * <pre>
 *   minSignedCosine = min_i w_i . w~_pi(i),   parameterError = max_i |w_i - w~_pi(i)| + |a_i - a~_pi(i)| + |b_i - b~_pi(i)|
 * </pre>
 *
 * @param matching          matching[i] = the fitted unit matched to true unit i
 * @param minAbsCosine      min |cosine| over matched pairs (directions)
 * @param minSignedCosine   min signed cosine (directions and orientation)
 * @param orientationsRight matched pairs with a positive cosine
 * @param parameterError    the max over units of |dw| + |da| + |db|
 */
public record HermiteRecovery(int[] matching, double minAbsCosine, double minSignedCosine, int orientationsRight, double parameterError) {

    /** @param fitted at least as many units as truth (extra fitted units stay unmatched) */
    public static HermiteRecovery of(ReluNet fitted, ReluNet truth) {
        ReluNet f = fitted.canonical(), t = truth.canonical();
        int d = t.d(), m = t.units(), r = f.units();
        if (r < m) throw new IllegalArgumentException("cannot match " + m + " true units with " + r + " fitted units");
        double[] cos = new double[m * r], score = new double[m * r];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += t.w()[i * d + c] * f.w()[j * d + c];
                cos[i * r + j] = s;
                score[i * r + j] = Math.abs(s);
            }
        }
        int[] match = Hungarian.maximise(score, m, r);
        double minAbs = 1, minSigned = 1, err = 0;
        int right = 0;
        for (int i = 0; i < m; i++) {
            int j = match[i];
            minAbs = Math.min(minAbs, score[i * r + j]);
            minSigned = Math.min(minSigned, cos[i * r + j]);
            if (cos[i * r + j] > 0) right++;
            double dw = 0;
            for (int c = 0; c < d; c++) {
                double e = t.w()[i * d + c] - f.w()[j * d + c];
                dw += e * e;
            }
            err = Math.max(err, Math.sqrt(dw) + Math.abs(t.a()[i] - f.a()[j]) + Math.abs(t.b()[i] - f.b()[j]));
        }
        return new HermiteRecovery(match, minAbs, minSigned, right, err);
    }
}
