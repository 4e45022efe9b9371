package org.relulearn.spark;

import org.apache.spark.api.java.JavaRDD;
import org.relulearn.data.Block;
import org.relulearn.engine.HeldOutRows;

/**
 * Splits cached file blocks into a training part and a held-out part by {@link HeldOutRows}: both
 * are views that filter the (cached) parent blocks on each pass, so nothing is copied up front and
 * the parent stays the only persisted data set. One job counts the held-out rows.
 */
public final class HeldOutSplit {
    private HeldOutSplit() {}

    /** The two sides of a split; {@code parent} is the data set to unpersist when done. */
    public record Split(SparkBlockData train, SparkBlockData heldOut, SparkBlockData parent) {}

    /**
     * @param fraction in (0, 1): the expected share of held-out rows
     * @throws IllegalArgumentException if either side would be empty
     */
    public static Split split(SparkBlockData data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the held-out fraction must be in (0, 1), got " + fraction);
        }
        JavaRDD<Block> blocks = data.blocks();
        String previous = blocks.context().getLocalProperty("spark.job.description");
        blocks.context().setJobDescription("relulearn: count held-out rows (" + fraction + " of " + data.numRows() + ")");
        long held;
        try {
            held = blocks.map(b -> HeldOutRows.countHeldOut(b, seed, fraction)).fold(0L, Long::sum);
        } finally {
            blocks.context().setJobDescription(previous);
        }
        long train = data.numRows() - held;
        if (held == 0 || train == 0) {
            throw new IllegalArgumentException("a held-out fraction of " + fraction + " of " + data.numRows()
                    + " rows leaves " + (held == 0 ? "no held-out" : "no training") + " rows; choose a fraction in (0, 1)"
                    + " that leaves rows on both sides, or give more rows");
        }
        JavaRDD<Block> trainBlocks = blocks.map(b -> HeldOutRows.select(b, false, seed, fraction));
        JavaRDD<Block> heldBlocks = blocks.map(b -> HeldOutRows.select(b, true, seed, fraction));
        return new Split(new SparkBlockData(trainBlocks, data.d(), data.m(), train, data.describe() + ", training part"),
                new SparkBlockData(heldBlocks, data.d(), data.m(), held, data.describe() + ", held-out part " + fraction),
                data);
    }
}
