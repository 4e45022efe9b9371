package org.relulearn.spark;

import java.io.Serializable;
import java.util.ArrayList;
import org.apache.spark.api.java.JavaRDD;
import org.relulearn.engine.StateData;

/**
 * Per-block states held by Spark next to cached blocks: one element per partition, the list of its
 * blocks' states in block order, so {@code blocks.zipPartitions(states)} pairs each block with its
 * state. {@link SparkPassRunner#updateState} replaces {@link #states} by a new persisted RDD and
 * unpersists the previous one.
 */
public final class SparkStateData<S extends Serializable> implements StateData<S> {
    private final SparkBlockData blocks;
    private final boolean ownsBlocks;
    JavaRDD<ArrayList<S>> states;
    /** The persisted RDD the current states are read from (null before the first update). */
    JavaRDD<?> persisted;
    /** The last checkpointed version, kept persisted until the next checkpoint (later versions depend on it). */
    JavaRDD<?> checkpointed;
    int version;

    SparkStateData(SparkBlockData blocks, boolean ownsBlocks, JavaRDD<ArrayList<S>> initial) {
        this.blocks = blocks;
        this.ownsBlocks = ownsBlocks;
        this.states = initial;
    }

    @Override public SparkBlockData blocks() { return blocks; }
    @Override public int version() { return version; }
    @Override public int d() { return blocks.d(); }
    @Override public int m() { return blocks.m(); }
    @Override public long numRows() { return blocks.numRows(); }
    @Override public String describe() { return "stateful " + blocks.describe(); }

    @Override
    public void release() {
        if (persisted != null) persisted.unpersist(false);
        if (checkpointed != null) checkpointed.unpersist(false);
        persisted = null;
        checkpointed = null;
        if (ownsBlocks) blocks.blocks().unpersist(false);
    }
}
