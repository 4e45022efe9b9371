package org.relulearn.engine;

import java.util.Arrays;
import java.util.Iterator;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;

/**
 * Mini-batches drawn uniformly with replacement from a fixed data set, without scanning it: draw
 * {@code rows} global row indices on the driver (O(rows log P)), ship only the per-partition
 * counts, and let each partition draw its own local indices and copy just those rows out of its
 * blocks. Every draw is keyed by (seed, draw number, partition), so a mini-batch depends on nothing
 * but those and the partitioning of the data.
 */
public final class RowSampler {
    private RowSampler() {}

    /** How many of {@code rows} uniform draws over all rows fall in each partition. */
    public static long[] partitionCounts(long[] partitionSizes, long rows, long seed, long draw) {
        long total = 0;
        long[] cumulative = new long[partitionSizes.length];
        for (int p = 0; p < partitionSizes.length; p++) {
            total += partitionSizes[p];
            cumulative[p] = total;
        }
        if (total == 0) throw new IllegalArgumentException("cannot sample from an empty data set: give at least one row");
        long[] counts = new long[partitionSizes.length];
        CounterRng rng = new CounterRng(seed, draw, -1);
        for (long i = 0; i < rows; i++) {
            long g = rng.nextLong(total);
            int p = Arrays.binarySearch(cumulative, g + 1);
            if (p < 0) p = -p - 1;
            counts[p]++;
        }
        return counts;
    }

    /**
     * Copies {@code count} rows drawn uniformly with replacement from a partition's blocks (which
     * hold {@code partitionRows} rows in all) into one block.
     */
    public static Block gather(Iterator<Block> blocks, int d, int m, long partitionRows, long count, long seed, long draw,
                               int partition) {
        if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("mini-batch share too large: " + count);
        int c = (int) count;
        Block out = new Block(d, m, c).reset(c, 0);
        if (c == 0) return out;
        long[] idx = new long[c];
        CounterRng rng = new CounterRng(seed, draw, partition);
        for (int i = 0; i < c; i++) idx[i] = rng.nextLong(partitionRows);
        Arrays.sort(idx);
        double[] x = out.x(), y = out.y();
        long start = 0;
        int k = 0;
        while (k < c && blocks.hasNext()) {
            Block b = blocks.next();
            long end = start + b.rows();
            while (k < c && idx[k] < end) {
                int r = (int) (idx[k] - start);
                System.arraycopy(b.x(), r * d, x, k * d, d);
                if (m > 0) System.arraycopy(b.y(), r * m, y, k * m, m);
                k++;
            }
            start = end;
        }
        if (k < c) throw new IllegalStateException("partition " + partition + " has fewer rows than its recorded " + partitionRows);
        return out;
    }
}
