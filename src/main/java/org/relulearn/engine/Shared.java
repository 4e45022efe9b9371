package org.relulearn.engine;

import java.io.Serializable;

/**
 * A read-only value shipped once to every worker (a Spark broadcast under Spark, a plain reference
 * in memory). Aggregator factories capture a Shared rather than a large array, so a d x k iterate is
 * sent once per executor, not once per task.
 */
public interface Shared<T extends Serializable> extends Serializable {
    T value();

    /** Releases the worker copies; the value must not be used afterwards. */
    default void release() {}

    /** An in-memory handle. */
    static <T extends Serializable> Shared<T> local(T value) {
        return new Local<>(value);
    }

    record Local<T extends Serializable>(T value) implements Shared<T> {}
}
