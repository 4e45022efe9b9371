package org.relulearn.data;

import java.io.Serializable;

/**
 * A one-dimensional law for one input coordinate, with its exact raw moments E[z^k], k = 1..4.
 * Heavy-tailed laws report {@link Double#POSITIVE_INFINITY} for moments that do not exist.
 */
public sealed interface ScalarLaw extends Serializable {

    /** Draws one value. */
    double sample(CounterRng rng);

    /** The raw moment E[z^k] for k in 0..4. */
    double moment(int k);

    /** True when z and -z have the same law. */
    boolean symmetric();

    /** Short description, e.g. {@code gaussian(0,1)}. */
    String describe();

    /** N(mean, sd^2). With mean != 0 this is the (non-symmetric) shifted Gaussian. */
    record Gaussian(double mean, double sd) implements ScalarLaw {
        public Gaussian {
            Checks.finite("mean", mean);
            Checks.positive("sd", sd);
        }
        public double sample(CounterRng rng) { return mean + sd * rng.nextGaussian(); }
        public double moment(int k) {
            double m = mean, s2 = sd * sd;
            return switch (k) {
                case 0 -> 1;
                case 1 -> m;
                case 2 -> m * m + s2;
                case 3 -> m * m * m + 3 * m * s2;
                case 4 -> m * m * m * m + 6 * m * m * s2 + 3 * s2 * s2;
                default -> throw new IllegalArgumentException("moment order " + k);
            };
        }
        public boolean symmetric() { return mean == 0; }
        public String describe() { return "gaussian(" + mean + "," + sd + ")"; }
    }

    /** Uniform on [-a, a]. */
    record Uniform(double halfWidth) implements ScalarLaw {
        public Uniform { Checks.positive("halfWidth", halfWidth); }
        public double sample(CounterRng rng) { return halfWidth * (2 * rng.nextDouble() - 1); }
        public double moment(int k) {
            double a = halfWidth;
            return switch (k) {
                case 0 -> 1;
                case 1, 3 -> 0;
                case 2 -> a * a / 3;
                case 4 -> a * a * a * a / 5;
                default -> throw new IllegalArgumentException("moment order " + k);
            };
        }
        public boolean symmetric() { return true; }
        public String describe() { return "uniform(-" + halfWidth + "," + halfWidth + ")"; }
    }

    /** Laplace(0, b): density exp(-|z|/b)/(2b). */
    record Laplace(double scale) implements ScalarLaw {
        public Laplace { Checks.positive("scale", scale); }
        public double sample(CounterRng rng) { return rng.nextSign() * scale * rng.nextExponential(); }
        public double moment(int k) {
            double b = scale;
            return switch (k) {
                case 0 -> 1;
                case 1, 3 -> 0;
                case 2 -> 2 * b * b;
                case 4 -> 24 * b * b * b * b;
                default -> throw new IllegalArgumentException("moment order " + k);
            };
        }
        public boolean symmetric() { return true; }
        public String describe() { return "laplace(" + scale + ")"; }
    }

    /** Student-t with nu degrees of freedom: z / sqrt(chi2_nu / nu). */
    record StudentT(double nu) implements ScalarLaw {
        public StudentT { Checks.positive("nu", nu); }
        public double sample(CounterRng rng) {
            double chi2 = 2 * Gamma.sample(rng, nu / 2);
            return rng.nextGaussian() / Math.sqrt(chi2 / nu);
        }
        public double moment(int k) {
            return switch (k) {
                case 0 -> 1;
                case 1 -> nu > 1 ? 0 : Double.NaN;
                case 2 -> nu > 2 ? nu / (nu - 2) : Double.POSITIVE_INFINITY;
                case 3 -> nu > 3 ? 0 : Double.NaN;
                case 4 -> nu > 4 ? 3 * nu * nu / ((nu - 2) * (nu - 4)) : Double.POSITIVE_INFINITY;
                default -> throw new IllegalArgumentException("moment order " + k);
            };
        }
        public boolean symmetric() { return true; }
        public String describe() { return "student-t(" + nu + ")"; }
    }

    /** +1 or -1 with equal probability. */
    record Rademacher() implements ScalarLaw {
        public double sample(CounterRng rng) { return rng.nextSign(); }
        public double moment(int k) { return (k % 2 == 0) ? 1 : 0; }
        public boolean symmetric() { return true; }
        public String describe() { return "rademacher"; }
    }

    /** A random sign times an Exponential with the given rate. */
    record SignedExponential(double rate) implements ScalarLaw {
        public SignedExponential { Checks.positive("rate", rate); }
        public double sample(CounterRng rng) { return rng.nextSign() * rng.nextExponential() / rate; }
        public double moment(int k) {
            if (k < 0 || k > 4) throw new IllegalArgumentException("moment order " + k);
            return (k % 2 == 1) ? 0 : factorial(k) / Math.pow(rate, k);
        }
        public boolean symmetric() { return true; }
        public String describe() { return "signed-exponential(" + rate + ")"; }
    }

    /** Exponential with the given rate: non-symmetric, for negative tests. */
    record Exponential(double rate) implements ScalarLaw {
        public Exponential { Checks.positive("rate", rate); }
        public double sample(CounterRng rng) { return rng.nextExponential() / rate; }
        public double moment(int k) {
            if (k < 0 || k > 4) throw new IllegalArgumentException("moment order " + k);
            return factorial(k) / Math.pow(rate, k);
        }
        public boolean symmetric() { return false; }
        public String describe() { return "exponential(" + rate + ")"; }
    }

    private static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) f *= i;
        return f;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the shape < 1 boost. */
    final class Gamma {
        private Gamma() {}

        static double sample(CounterRng rng, double shape) {
            if (shape < 1) {
                double u = rng.nextOpenDouble();
                return sample(rng, shape + 1) * Math.pow(u, 1 / shape);
            }
            double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
            while (true) {
                double z, v;
                do {
                    z = rng.nextGaussian();
                    v = 1 + c * z;
                } while (v <= 0);
                v = v * v * v;
                double u = rng.nextOpenDouble();
                if (u < 1 - 0.0331 * z * z * z * z) return d * v;
                if (Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v;
            }
        }
    }
}
