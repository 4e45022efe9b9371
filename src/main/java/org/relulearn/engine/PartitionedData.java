package org.relulearn.engine;

import java.util.List;
import org.relulearn.data.Block;

/**
 * Blocks held in memory in partitions, as a Spark RDD holds them: the local runner aggregates each
 * partition into its own aggregator and merges them along the {@link FixedMergeTree}, so results
 * equal the Spark runner's deterministic mode over the same partitions.
 */
public record PartitionedData(int d, int m, List<List<Block>> partitions, String describe) implements Data {
    public PartitionedData {
        partitions = List.copyOf(partitions.stream().map(List::copyOf).toList());
    }

    public long numRows() {
        long n = 0;
        for (List<Block> p : partitions) for (Block b : p) n += b.rows();
        return n;
    }
}
