package org.relulearn.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.relulearn.linalg.Blas;

/** A single ReLU gate, y = relu(w* . x). */
public final class ReluGate implements Teacher {
    private static final long serialVersionUID = 1L;
    private final double[] w;

    public ReluGate(double[] w) {
        if (w.length == 0) throw new IllegalArgumentException("gate weight must have dimension >= 1");
        this.w = Checks.allFinite("w*", w.clone());
    }

    public double[] weights() { return w.clone(); }

    public int inputDim() { return w.length; }

    public int outputDim() { return 1; }

    public int scratchSize(int rows) { return 0; }

    public void label(Block block, double[] scratch) {
        int d = w.length, rows = block.rows();
        if (block.d() != d || block.m() != 1) {
            throw new IllegalArgumentException("gate teacher needs blocks with d=" + d + ", m=1; got " + block);
        }
        if (rows == 0) return;
        double[] y = block.y();
        // X is column-major d x rows, so X^T w is a "T" gemv.
        Blas.native3().dgemv("T", d, rows, 1.0, block.x(), d, w, 1, 0.0, y, 1);
        for (int r = 0; r < rows; r++) if (y[r] < 0) y[r] = 0;
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "relu-gate");
        m.put("w", w.clone());
        return m;
    }
}
