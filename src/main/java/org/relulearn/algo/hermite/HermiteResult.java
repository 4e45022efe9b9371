package org.relulearn.algo.hermite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a Hermite fit.
 *
 * @param d                 input dimension
 * @param n                 rows per pass
 * @param units             m, the number of tensor units fitted
 * @param visibleUnits      order-2 eigenvalues above the noise threshold
 * @param threshold         that threshold, c std(yc) sqrt(d/n)
 * @param eigenvalues       the order-2 eigenvalues by decreasing |value| (at most m + 4 of them)
 * @param tensorNet         the m units from the tensor fit (after the polish when it ran), unit-norm w
 * @param affineUnits       the extra ReLU units of the affine fit (0 units when it did not run)
 * @param network           tensorNet followed by affineUnits: the model
 * @param tensorOnlyNet     the m units straight from the tensor fit, before any polish
 * @param coefficients      mu[k][i], k = 0..kmax
 * @param standardErrors    their standard errors
 * @param unitFits          the per-unit fits (a, b', s, flags)
 * @param jennrichScore     off-diagonal score of the kept Jennrich candidate
 * @param jennrichImagRatio max |Im lambda| / |lambda| of its eigenproblem
 * @param directionCondition condition number of What
 * @param polishLosses      the loss (1/2n) sum r^2 at each polish pass (empty without polish)
 * @param trainingError     mean (f - y)^2 / var(y) on the training data (NaN when no evaluation pass ran)
 * @param heldOutError      the same on held-out data (NaN without held-out data)
 * @param seconds           wall time of: stats, order 2, contractions, coefficients, affine, polish, evaluation
 * @param messages          the printed notes and warnings
 */
public record HermiteResult(int d, long n, int units, int visibleUnits, double threshold, double[] eigenvalues, ReluNet tensorNet,
                            ReluNet affineUnits, ReluNet network, ReluNet tensorOnlyNet, double[][] coefficients, double[][] standardErrors,
                            List<UnitCoefficientFit> unitFits, double jennrichScore, double jennrichImagRatio, double directionCondition,
                            double[] polishLosses, double trainingError, double heldOutError, double[] seconds, List<String> messages) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", d);
        m.put("n", n);
        m.put("units", units);
        m.put("visibleUnits", visibleUnits);
        m.put("threshold", threshold);
        m.put("order2Eigenvalues", eigenvalues);
        m.put("W", rows(tensorNet.w(), tensorNet.units(), d));
        m.put("b", tensorNet.b());
        m.put("a", tensorNet.a());
        m.put("affineUnits", affineUnits.units());
        m.put("modelUnits", network.units());
        m.put("jennrichScore", jennrichScore);
        m.put("jennrichImagRatio", jennrichImagRatio);
        m.put("directionCondition", directionCondition);
        m.put("coefficients", coefficients);
        m.put("polishPasses", polishLosses.length);
        if (polishLosses.length > 0) m.put("finalPolishLoss", polishLosses[polishLosses.length - 1]);
        m.put("trainingRelativeError", trainingError);
        m.put("heldOutRelativeError", heldOutError);
        m.put("seconds", seconds);
        m.put("messages", messages);
        return m;
    }

    static double[][] rows(double[] flat, int r, int c) {
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
