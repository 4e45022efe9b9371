package org.relulearn.engine;

import java.io.Serializable;

/** Builds an empty aggregator where the data is (on the executor), from serialisable inputs. */
@FunctionalInterface
public interface AggregatorFactory<A extends Aggregator<A>> extends Serializable {
    A create();
}
