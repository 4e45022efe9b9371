package org.relulearn.spark;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.relulearn.data.Block;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.BlockRanges;
import org.relulearn.engine.SyntheticData;

/**
 * A synthetic source materialised once as a persisted RDD of blocks, so later passes read memory
 * instead of regenerating. Partition i of p holds blocks [first(i), end(i)) of the source
 * ({@link BlockRanges}), exactly the ranges a pass over {@link SyntheticData} generates, so a pass
 * over the cached data sees the same rows, in the same blocks, as a pass over the stream.
 *
 * <p>Each cached block is compact (its arrays hold exactly rows x d and rows x m doubles) and is
 * generated where it is stored: nothing goes through the driver.
 *
 * <p>The default storage level is {@link StorageLevel#MEMORY_AND_DISK()} (deserialised), as MLlib
 * uses for training instances: a partition that does not fit in memory goes to local disk instead
 * of being dropped and silently regenerated on every later pass. {@link #storage} reports how much
 * of it is in memory and how much on disk, so a spill is visible.
 */
public final class CachedBlocks {
    private CachedBlocks() {}

    /** Where a cached RDD lives: bytes in memory, bytes on disk, cached partitions of all. */
    public record Storage(long memoryBytes, long diskBytes, int cachedPartitions, int partitions) {
        /** True when every partition is cached and nothing went to disk. */
        public boolean allInMemory() { return diskBytes == 0 && cachedPartitions == partitions; }
    }

    /** Caches {@code src} with the runner's partitioning (as its synthetic passes use) in memory and on disk. */
    public static SparkBlockData cache(SparkPassRunner runner, SyntheticSource src) {
        return cache(runner.context(), src, runner.partitionsFor(src), StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * Generates every block of {@code src} on the executors into {@code partitions} partitions,
     * persists them at {@code level}, names the RDD and counts it so it is materialised on return.
     */
    public static SparkBlockData cache(JavaSparkContext jsc, SyntheticSource src, int partitions, StorageLevel level) {
        long nb = src.numBlocks();
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        int p = (int) Math.min(partitions, nb);
        List<Integer> slots = IntStream.range(0, p).boxed().toList();
        JavaRDD<Block> blocks = jsc.parallelize(slots, p).mapPartitionsWithIndex((idx, ignored) ->
                new RangeIterator(src, BlockRanges.first(nb, p, idx), BlockRanges.end(nb, p, idx)), true);
        String describe = "cached " + new SyntheticData(src).describe();
        blocks.setName("relulearn " + describe + ", d=" + src.d() + ", " + p + " partitions");
        blocks.persist(level);
        String previous = jsc.getLocalProperty("spark.job.description");
        jsc.setJobDescription("relulearn: cache " + src.numRows() + " synthetic rows");
        try {
            long count = blocks.count();
            if (count != nb) throw new IllegalStateException("cached " + count + " blocks, expected " + nb);
        } finally {
            jsc.setJobDescription(previous);
        }
        return new SparkBlockData(blocks, src.d(), src.m(), src.numRows(), describe);
    }

    /** Memory and disk bytes Spark's block manager reports for a persisted RDD. */
    public static Storage storage(JavaSparkContext jsc, JavaRDD<?> rdd) {
        RDD<?> r = rdd.rdd();
        for (RDDInfo info : jsc.sc().getRDDStorageInfo()) {
            if (info.id() == r.id()) {
                return new Storage(info.memSize(), info.diskSize(), info.numCachedPartitions(), info.numPartitions());
            }
        }
        return new Storage(0, 0, 0, r.getNumPartitions());
    }

    /** Removes the cached blocks from memory and disk, waiting until they are gone. */
    public static void release(SparkBlockData data) {
        data.blocks().unpersist(true);
    }

    /**
     * Generates blocks [from, to) lazily, one compact block at a time, so Spark can store each
     * block as it comes instead of holding the whole partition twice.
     */
    private static final class RangeIterator implements Iterator<Block> {
        private final SyntheticSource src;
        private final SyntheticSource.Workspace ws;
        private final long to;
        private long next;

        RangeIterator(SyntheticSource src, long from, long to) {
            this.src = src;
            this.ws = src.newWorkspace();
            this.next = from;
            this.to = to;
        }

        @Override
        public boolean hasNext() { return next < to; }

        @Override
        public Block next() {
            if (next >= to) throw new NoSuchElementException();
            long b = next++;
            // A block allocated at exactly the block's row count is already compact: the same
            // content as fill-then-compactCopy without the extra copy.
            return src.fill(b, new Block(src.d(), src.m(), src.blockRows(b)), ws);
        }
    }
}
