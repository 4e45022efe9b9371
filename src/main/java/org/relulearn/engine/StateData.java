package org.relulearn.engine;

import java.io.Serializable;

/**
 * A data set whose blocks each carry a per-block state of type S (for example an ADMM algorithm's
 * per-row dual variables), replaced as a whole by {@link PassRunner#updateState}: the new states
 * are computed where the blocks are, kept there (a cached data set under Spark), and the previous
 * version is released. The handle is mutable: it always refers to the latest version.
 *
 * @param <S> the per-block state (e.g. a double[] of rows x width values)
 */
public interface StateData<S extends Serializable> extends Data {
    /** The blocks alone, for plain passes ({@link PassRunner#aggregate}) over the same rows in the same partitions. */
    Data blocks();

    /** Updates applied so far. */
    int version();

    /** Releases the cached states (and blocks the handle cached itself); the handle must not be used afterwards. */
    void release();
}
