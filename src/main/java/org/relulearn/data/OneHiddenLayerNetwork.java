package org.relulearn.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.relulearn.linalg.Blas;

/**
 * The one-hidden-layer teacher y = A relu(W x + b): W is k x d (row j is hidden unit w_j), b in R^k
 * (all zero for a network without biases), A is m x k. Labels of a block are two gemms:
 * H = relu(W X + b 1^T), Y = A H.
 */
public final class OneHiddenLayerNetwork implements Teacher {
    private static final long serialVersionUID = 1L;
    private final int d;
    private final int k;
    private final int m;
    private final double[] w;
    private final double[] bias;
    private final double[] a;

    /**
     * @param w    k x d, row-major
     * @param bias length k, or null for no biases
     * @param a    m x k, row-major
     */
    public OneHiddenLayerNetwork(int d, int k, int m, double[] w, double[] bias, double[] a) {
        Checks.atLeast("input dimension d", d, 1);
        Checks.atLeast("hidden units k", k, 1);
        Checks.atLeast("outputs m", m, 1);
        if (w.length != k * d) throw new IllegalArgumentException("W must be k x d = " + k + " x " + d);
        if (bias != null && bias.length != k) throw new IllegalArgumentException("b must have length k = " + k);
        if (a.length != m * k) throw new IllegalArgumentException("A must be m x k = " + m + " x " + k);
        this.d = d;
        this.k = k;
        this.m = m;
        this.w = Checks.allFinite("W", w.clone());
        this.bias = bias == null ? new double[k] : Checks.allFinite("b", bias.clone());
        this.a = Checks.allFinite("A", a.clone());
    }

    public int inputDim() { return d; }
    public int outputDim() { return m; }
    public int hiddenUnits() { return k; }
    public double[] weights() { return w.clone(); }
    public double[] biases() { return bias.clone(); }
    public double[] outputWeights() { return a.clone(); }

    public int scratchSize(int rows) { return k * rows; }

    public void label(Block block, double[] scratch) {
        int rows = block.rows();
        if (block.d() != d || block.m() != m) {
            throw new IllegalArgumentException("network teacher needs blocks with d=" + d + ", m=" + m + "; got " + block);
        }
        if (rows == 0) return;
        double[] h = scratch;
        // Row-major W (k x d) is column-major W^T (d x k): H (k x rows) = (W^T)^T X.
        Blas.native3().dgemm("T", "N", k, rows, d, 1.0, w, d, block.x(), d, 0.0, h, k);
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            for (int j = 0; j < k; j++) {
                double v = h[o + j] + bias[j];
                h[o + j] = v > 0 ? v : 0;
            }
        }
        // Row-major A (m x k) is column-major A^T (k x m): Y (m x rows) = (A^T)^T H.
        Blas.native3().dgemm("T", "N", m, rows, k, 1.0, a, k, h, k, 0.0, block.y(), m);
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "one-hidden-layer");
        out.put("d", d);
        out.put("k", k);
        out.put("m", m);
        out.put("W", rows(w, k, d));
        out.put("b", bias.clone());
        out.put("A", rows(a, m, k));
        return out;
    }

    /**
     * The network a {@link #describe()} map (as written into truth.json) describes; the inverse of
     * {@link #describe()}.
     *
     * @throws IllegalArgumentException if the map is not a one-hidden-layer description
     */
    public static OneHiddenLayerNetwork fromDescription(Map<String, Object> m) {
        if (!"one-hidden-layer".equals(m.get("type"))) {
            throw new IllegalArgumentException("not a one-hidden-layer teacher: type " + m.get("type"));
        }
        int d = ((Number) m.get("d")).intValue();
        int k = ((Number) m.get("k")).intValue();
        int out = ((Number) m.get("m")).intValue();
        return new OneHiddenLayerNetwork(d, k, out, flat(m.get("W"), k, d), flat(m.get("b"), 1, k), flat(m.get("A"), out, k));
    }

    private static double[] flat(Object o, int r, int c) {
        java.util.List<?> l = (java.util.List<?>) o;
        double[] v = new double[r * c];
        if (r == 1 && l.size() == c && !(l.get(0) instanceof java.util.List)) {
            for (int j = 0; j < c; j++) v[j] = ((Number) l.get(j)).doubleValue();
            return v;
        }
        if (l.size() != r) throw new IllegalArgumentException("expected " + r + " rows, found " + l.size());
        for (int i = 0; i < r; i++) {
            java.util.List<?> row = (java.util.List<?>) l.get(i);
            if (row.size() != c) throw new IllegalArgumentException("expected " + c + " columns in row " + i + ", found " + row.size());
            for (int j = 0; j < c; j++) v[i * c + j] = ((Number) row.get(j)).doubleValue();
        }
        return v;
    }

    static double[][] rows(double[] flat, int r, int c) {
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
