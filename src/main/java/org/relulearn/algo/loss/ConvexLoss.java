package org.relulearn.algo.loss;

/**
 * The losses of the convex programs, as sums over samples (the convention of Bai, Gautam and
 * Sojoudi, arXiv 2201.01965; docs/convex.md, Use): squared 1/2 (yhat - y)^2 (y real), hinge
 * (1 - y yhat)_+ (y in {-1, +1}), and Bai's
 * binary cross-entropy -2 y yhat + log(1 + e^{2 yhat}) (y in {0, 1}; the probability of class 1 is
 * sigma(2 yhat), class 1 is predicted iff yhat > 0).
 */
public enum ConvexLoss {
    SQUARED, HINGE, BCE;

    public static ConvexLoss parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "squared", "square", "mse" -> SQUARED;
            case "hinge" -> HINGE;
            case "bce", "logistic", "cross-entropy" -> BCE;
            default -> throw new IllegalArgumentException("unknown loss '" + s + "': use squared, hinge or bce");
        };
    }

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The loss of one sample. */
    public double value(double yhat, double y) {
        return switch (this) {
            case SQUARED -> 0.5 * (yhat - y) * (yhat - y);
            case HINGE -> Math.max(0, 1 - y * yhat);
            case BCE -> -2 * y * yhat + softplus(2 * yhat);
        };
    }

    /** d loss / d yhat (a subgradient for hinge). */
    public double derivative(double yhat, double y) {
        return switch (this) {
            case SQUARED -> yhat - y;
            case HINGE -> y * yhat < 1 ? -y : 0;
            case BCE -> -2 * y + 2 * sigmoid(2 * yhat);
        };
    }

    /** True when a label is allowed for this loss. */
    public boolean validLabel(double y) {
        return switch (this) {
            case SQUARED -> Double.isFinite(y);
            case HINGE -> y == 1 || y == -1;
            case BCE -> y == 0 || y == 1;
        };
    }

    /** What a label must be, for error messages. */
    public String labelRule() {
        return switch (this) {
            case SQUARED -> "a finite real number";
            case HINGE -> "-1 or +1 (hinge loss)";
            case BCE -> "0 or 1 (binary cross-entropy)";
        };
    }

    /** True for the classification losses (accuracy is reported). */
    public boolean classification() { return this != SQUARED; }

    /** Whether a prediction is correct: sign agreement (hinge), yhat > 0 iff y = 1 (BCE). */
    public boolean correct(double yhat, double y) {
        return switch (this) {
            case SQUARED -> false;
            case HINGE -> y * yhat > 0;
            case BCE -> (yhat > 0) == (y == 1);
        };
    }

    /**
     * The worst case of the loss over an l_inf box of radius eps around x for a network that is
     * affine on the box, f(x + delta) = yhat + g^T delta, given {@code epsG1} = eps ||g||_1
     * (docs/convex.md, Design): hinge (1 - y yhat + eps||g||_1)_+, squared
     * 1/2 (|yhat - y| + eps||g||_1)^2, BCE log(1 + exp(-2 (2y - 1) yhat + 2 eps||g||_1)).
     */
    public double worstCase(double yhat, double y, double epsG1) {
        return switch (this) {
            case SQUARED -> 0.5 * (Math.abs(yhat - y) + epsG1) * (Math.abs(yhat - y) + epsG1);
            case HINGE -> Math.max(0, 1 - y * yhat + epsG1);
            case BCE -> softplus(-2 * (2 * y - 1) * yhat + 2 * epsG1);
        };
    }

    /**
     * The sign s of the attack delta = -eps s sign(g) that attains {@link #worstCase}: y (hinge),
     * 2y - 1 (BCE), sign(y - yhat) (squared).
     */
    public double attackSign(double yhat, double y) {
        return switch (this) {
            case SQUARED -> yhat >= y ? -1 : 1;
            case HINGE -> y;
            case BCE -> 2 * y - 1;
        };
    }

    /** log(1 + e^t) without overflow. */
    public static double softplus(double t) {
        return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    }

    public static double sigmoid(double t) {
        return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
    }

    /**
     * The hinge prox: argmin_r (1 - y r)_+ + (rho/2)(r - w)^2 for y in {-1, +1}. With q = y w:
     * q >= 1 -> w; q <= 1 - 1/rho -> w + y/rho; otherwise the kink, r = y.
     */
    public static double hingeProx(double w, double y, double rho) {
        double q = y * w;
        if (q >= 1) return w;
        if (q <= 1 - 1 / rho) return w + y / rho;
        return y;
    }
}
