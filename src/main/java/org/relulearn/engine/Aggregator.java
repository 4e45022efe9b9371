package org.relulearn.engine;

import java.io.Serializable;
import org.relulearn.data.Block;

/**
 * A partial sum over samples: the one shape every pass of every algorithm has. An aggregator sees
 * blocks and the (broadcast) values it was built with, nothing else; it imports no Spark.
 * {@code merge} must be associative and commutative up to round-off, so the engine may combine
 * partial results in any tree.
 *
 * @param <A> the concrete type, so {@code merge} is typed
 */
public interface Aggregator<A extends Aggregator<A>> extends Serializable {

    /** Adds every row of {@code block}. Must not keep a reference to the block (buffers are reused). */
    void add(Block block);

    /** Adds {@code other}'s partial sums into this one and returns this. */
    A merge(A other);

    /** Rows added so far (for progress and throughput figures). */
    long count();
}
