package org.relulearn.algo.moments;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Empirical moments of (x, y) over n rows, all as averages (row-major):
 * mean x = E[x] (d), E[x x^T] (d x d), E[y x^T] (m x d), mean y = E[y] (m), E[y y^T] (m x m).
 */
public record Moments(int d, int m, long n, double[] meanX, double[] secondX, double[] crossYX,
                      double[] meanY, double[] secondY) implements Serializable {

    /** Cov(x) = E[x x^T] - E[x] E[x]^T. */
    public double[] covarianceX() {
        double[] c = secondX.clone();
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i * d + j] -= meanX[i] * meanX[j];
        return c;
    }

    /** True if every entry is finite (a NaN or Inf in the input shows up here). */
    public boolean allFinite() {
        for (double[] a : new double[][] {meanX, secondX, crossYX, meanY, secondY}) {
            for (double v : a) if (!Double.isFinite(v)) return false;
        }
        return true;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        out.put("d", d);
        out.put("m", m);
        out.put("meanX", meanX);
        out.put("secondMomentX", rows(secondX, d, d));
        out.put("crossMomentYX", rows(crossYX, m, d));
        out.put("meanY", meanY);
        out.put("secondMomentY", rows(secondY, m, m));
        return out;
    }

    private static double[][] rows(double[] flat, int r, int c) {
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
