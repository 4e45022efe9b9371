package org.relulearn.algo.gate;

/**
 * The theory's predicted error floor under online poisoning (docs/gate.md, Guarantees, item 3):
 * <pre>
 *   bias bound       2 beta theta* sqrt(lambda_max) / lambda_min        (x-dependent attacks only)
 *   variance floor   theta* sqrt(beta eta d / b)                       (Lyapunov solution, small eta)
 *   limsup sqrt(e_t) &lt;~ bias + 1.2 * variance floor
 * </pre>
 * For attacks independent of x (alternating, random sign) E[alpha xi x] = 0 and only the variance
 * floor remains. In a numpy reference simulation (d = 20, alternating attack) the rms floor was
 * 1.02-1.05 times it at eta = eta* / 4 and 1.13-1.23 times it at eta*, hence the factor 1.2.
 */
public final class PoisoningTheory {
    private PoisoningTheory() {}

    public static double varianceFloor(double beta, double theta, double eta, int d, int b) {
        return theta * Math.sqrt(beta * eta * d / b);
    }

    public static double biasBound(double beta, double theta, double lambdaMin, double lambdaMax) {
        return 2 * beta * theta * Math.sqrt(lambdaMax) / lambdaMin;
    }

    /** The summary bound; {@code xDependent} adds the bias term. */
    public static double floor(double beta, double theta, double eta, int d, int b, double lambdaMin, double lambdaMax,
                               boolean xDependent) {
        double v = 1.2 * varianceFloor(beta, theta, eta, d, b);
        return xDependent ? v + biasBound(beta, theta, lambdaMin, lambdaMax) : v;
    }
}
