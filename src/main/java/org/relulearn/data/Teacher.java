package org.relulearn.data;

import java.io.Serializable;

/** A labelling function y = f(x) applied to whole blocks (with BLAS), the noiseless teacher. */
public interface Teacher extends Serializable {

    int inputDim();

    int outputDim();

    /** Doubles of caller-supplied workspace {@link #label} needs for a block of {@code rows} rows. */
    int scratchSize(int rows);

    /** Overwrites the labels of every row of {@code block} with f(x). */
    void label(Block block, double[] scratch);

    /** A JSON-friendly description of the parameters (for truth.json). */
    java.util.Map<String, Object> describe();
}
