package org.relulearn.data;

import java.io.Serializable;

/**
 * Chooses the poison xi added to a label under online poisoning (docs/gate.md, Model). It sees the
 * sample x, its index in the stream (its position in the mini-batch for online streams), the bound
 * theta*, a random stream private to this row and the {@link AdversaryContext}. The result is
 * clipped to [-theta*, theta*] by {@link OnlinePoisoning}, so an adaptive implementation cannot
 * exceed the threat model.
 */
public interface Adversary extends Serializable {

    double poison(double[] x, int off, int d, long index, double theta, CounterRng rng, AdversaryContext ctx);

    String describe();

    /** -theta*, +theta*, -theta*, ... by position, independent of x (the companion code's attack). */
    record Alternating() implements Adversary {
        public double poison(double[] x, int off, int d, long index, double theta, CounterRng rng, AdversaryContext ctx) {
            return (index & 1L) == 0 ? -theta : theta;
        }
        public String describe() { return "alternating"; }
    }

    /** +-theta* with a fair random sign, independent of x. */
    record RandomSign() implements Adversary {
        public double poison(double[] x, int off, int d, long index, double theta, CounterRng rng, AdversaryContext ctx) {
            return theta * rng.nextSign();
        }
        public String describe() { return "random-sign"; }
    }

    /**
     * The aligned worst case xi = theta* sign(v0 . x); with v0 = null the direction is 1/sqrt(d) (the
     * {@code --adversary aligned} of docs/gate.md, Model). It biases the fixed point to w* + 2 Sigma^-1 E[alpha xi x].
     */
    record Aligned(double[] direction) implements Adversary {
        public double poison(double[] x, int off, int d, long index, double theta, CounterRng rng, AdversaryContext ctx) {
            double s = 0;
            if (direction == null) {
                for (int j = 0; j < d; j++) s += x[off + j];
            } else {
                for (int j = 0; j < d; j++) s += direction[j] * x[off + j];
            }
            return s > 0 ? theta : (s < 0 ? -theta : 0);
        }
        public String describe() { return "aligned"; }
    }

    /** Parses {@code alternating}, {@code random-sign} or {@code aligned}. */
    static Adversary parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "alternating" -> new Alternating();
            case "random-sign", "random" -> new RandomSign();
            case "aligned" -> new Aligned(null);
            default -> throw new IllegalArgumentException("unknown adversary '" + name
                    + "': use alternating, random-sign or aligned");
        };
    }
}
