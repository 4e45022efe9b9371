package org.relulearn.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Input laws by name, for the CLI and config files: {@code name[:key=value[,key=value...]]}.
 * <pre>
 *   gaussian[:sd=1]              N(0, sd^2 I)
 *   uniform[:a=1]                uniform on the cube [-a, a]^d
 *   laplace[:b=1]                Laplace(0, b) coordinates
 *   student-t[:nu=5]             Student-t(nu) coordinates
 *   rademacher                   +-1 coordinates
 *   signed-exponential[:rate=1]  random sign times Exp(rate)
 *   mixture[:r=1,sigma=1]        +-mu + sigma z with mu = r/sqrt(d) * (1,...,1)  (||mu|| = r)
 *   xor[:r=2,sigma=0.5]          XOR clusters +-r e1 (class +1) vs +-r e2 (class -1), noise sigma
 *   shifted-gaussian[:shift=0.7] N(shift, 1) coordinates      (not symmetric: negative tests)
 *   exponential[:rate=1]         Exp(rate) coordinates         (not symmetric: negative tests)
 * </pre>
 * A covariance or a mixing matrix is applied separately ({@link #withCovariance}, {@link #mixed}).
 */
public final class Distributions {
    private Distributions() {}

    public static final String NAMES = "gaussian, uniform, laplace, student-t, rademacher, signed-exponential, "
            + "mixture, xor, shifted-gaussian, exponential";

    public static InputDistribution parse(String spec, int d) {
        Checks.atLeast("dimension d", d, 1);
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String name = s;
        Map<String, Double> p = new LinkedHashMap<>();
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            for (String kv : s.substring(colon + 1).split(",")) {
                if (kv.isBlank()) continue;
                int eq = kv.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("distribution parameter '" + kv + "' in '" + spec
                        + "' must be key=value, e.g. student-t:nu=5");
                try {
                    p.put(kv.substring(0, eq).trim(), Double.parseDouble(kv.substring(eq + 1).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("distribution parameter '" + kv + "' in '" + spec + "' is not a number");
                }
            }
        }
        InputDistribution out = switch (name) {
            case "gaussian", "normal" -> iid(new ScalarLaw.Gaussian(0, get(p, "sd", 1)), d);
            case "uniform" -> iid(new ScalarLaw.Uniform(get(p, "a", 1)), d);
            case "laplace" -> iid(new ScalarLaw.Laplace(get(p, "b", 1)), d);
            case "student-t", "t" -> iid(new ScalarLaw.StudentT(get(p, "nu", 5)), d);
            case "rademacher" -> iid(new ScalarLaw.Rademacher(), d);
            case "signed-exponential" -> iid(new ScalarLaw.SignedExponential(get(p, "rate", 1)), d);
            case "exponential" -> iid(new ScalarLaw.Exponential(get(p, "rate", 1)), d);
            case "shifted-gaussian" -> iid(new ScalarLaw.Gaussian(get(p, "shift", 0.7), get(p, "sd", 1)), d);
            case "mixture" -> {
                double r = get(p, "r", 1);
                double[] mu = new double[d];
                java.util.Arrays.fill(mu, r / Math.sqrt(d));
                yield new SymmetricMixture(mu, get(p, "sigma", 1));
            }
            case "xor" -> XorClusters.standard(d, get(p, "r", 2), get(p, "sigma", 0.5));
            default -> throw new IllegalArgumentException("unknown distribution '" + spec + "': use one of " + NAMES);
        };
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + p.keySet() + " for distribution '" + name + "'");
        }
        return out;
    }

    private static double get(Map<String, Double> p, String key, double dflt) {
        Double v = p.remove(key);
        return v == null ? dflt : v;
    }

    private static InputDistribution iid(ScalarLaw law, int d) {
        return ProductDistribution.iid(law, d);
    }

    /** N(0, C) as L z with L the Cholesky factor of C (positive semi-definite, row-major d x d). */
    public static InputDistribution withCovariance(double[] cov, int d) {
        if (cov.length != d * d) throw new IllegalArgumentException("covariance must be " + d + " x " + d + ", got " + cov.length + " entries");
        // A NaN would pass the symmetry test and turn the factor into zeros (its comparisons are false).
        Checks.allFinite("covariance", cov);
        Checks.symmetric("covariance", cov, d);
        return new LinearMixing(org.relulearn.linalg.Dense.choleskyPsd(cov, d), d, iid(new ScalarLaw.Gaussian(0, 1), d));
    }

    /** x = M z for a d x p mixing matrix (row-major) and a base law of dimension p. */
    public static InputDistribution mixed(double[] mixing, int d, InputDistribution base) {
        return new LinearMixing(mixing, d, base);
    }
}
