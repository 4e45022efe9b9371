package org.relulearn.algo.gate;

/**
 * The two update directions for one ReLU gate (docs/gate.md, Algorithm), over a mini-batch of b rows:
 * <pre>
 *   Tron (non-gradient):  g = (1/b) sum_i (y_i - relu(w.x_i)) x_i
 *   SGD:                  g = (1/b) sum_i (y_i - relu(w.x_i)) 1{w.x_i > 0} x_i
 * </pre>
 * and w &lt;- w + eta g. Tron omits the ReLU derivative; that is what makes its expected step the
 * linear least-squares step (1/2) Sigma (w* - w) under a symmetric input law, and why it moves
 * from w = 0 while SGD started there never does.
 */
public enum GateUpdate {
    TRON, SGD;

    /** True when the residual is multiplied by the ReLU derivative 1{w.x > 0}. */
    public boolean usesDerivative() { return this == SGD; }

    public static GateUpdate parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "tron" -> TRON;
            case "sgd" -> SGD;
            default -> throw new IllegalArgumentException("unknown update '" + s + "': use tron or sgd");
        };
    }
}
