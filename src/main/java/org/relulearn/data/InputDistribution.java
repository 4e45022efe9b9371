package org.relulearn.data;

import java.io.Serializable;

/**
 * A law of the input vector x in R^d, with its exact moments: the mean E[x], the second moment
 * E[x x^T] and the fourth moments E[x_i x_j x_k x_l]. Samples are drawn row by row from a
 * {@link CounterRng} positioned at that row, so a row depends only on (seed, stream, index).
 */
public interface InputDistribution extends Serializable {

    int dimension();

    /** Doubles of caller-supplied workspace {@link #sampleRow} needs. */
    default int scratchSize() { return 0; }

    /**
     * Draws one sample into {@code out[off .. off+d)}.
     *
     * @param scratch at least {@link #scratchSize()} doubles, owned by the caller (modified)
     */
    void sampleRow(CounterRng rng, double[] out, int off, double[] scratch);

    /** E[x]. */
    double[] mean();

    /** E[x x^T], row-major d x d. */
    double[] secondMoment();

    /** E[x_i x_j x_k x_l]; may be infinite for heavy tails. */
    double fourthMoment(int i, int j, int k, int l);

    /** True when x and -x have the same law (the symmetric methods' assumption). */
    boolean symmetric();

    /** A short human-readable description. */
    String describe();
}
