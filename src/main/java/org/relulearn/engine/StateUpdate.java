package org.relulearn.engine;

import java.io.Serializable;
import org.relulearn.data.Block;

/**
 * One block's step of a stateful pass: given the block and its current state, returns a new state
 * and adds whatever the driver needs to the aggregator. It must not modify the given state: under
 * Spark that object belongs to the previous cached version, from which a lost partition (or a
 * retried task) is recomputed. Runs where the block is; must be deterministic.
 */
@FunctionalInterface
public interface StateUpdate<S extends Serializable, A extends Aggregator<A>> extends Serializable {
    S update(Block block, S state, A aggregator);
}
