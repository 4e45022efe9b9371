package org.relulearn.engine;

/**
 * A data set a {@link PassRunner} can make passes over: a synthetic stream ({@link SyntheticData}),
 * an in-memory list of blocks ({@link InMemoryData}), or a runner-specific handle such as a cached
 * Spark RDD of blocks. Algorithms see only its shape.
 */
public interface Data {
    /** Features per row. */
    int d();

    /** Labels per row. */
    int m();

    /** Rows in one pass. */
    long numRows();

    /** A short description for logs and outputs. */
    String describe();
}
