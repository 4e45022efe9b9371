package org.relulearn.spark;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.relulearn.engine.Shared;

/** A {@link Shared} value backed by a Spark broadcast variable. */
record BroadcastShared<T extends Serializable>(Broadcast<T> broadcast) implements Shared<T> {
    public T value() { return broadcast.value(); }

    /** Drops the executors' copies without waiting; the driver's copy goes when the handle is collected. */
    public void release() { broadcast.unpersist(false); }
}
