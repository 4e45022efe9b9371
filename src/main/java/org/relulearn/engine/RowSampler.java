package org.relulearn.engine;

import java.util.Arrays;
import java.util.Iterator;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;

/**
 * Mini-batches drawn uniformly with replacement from a fixed data set of N rows whose global row
 * indices are 0..N-1 (every block's {@code firstRow} is global: generated data, and file data once
 * {@code FileSources} has numbered it), without scanning it: draw the batch's global row indices on
 * the driver, ship them, and let each partition copy the rows it holds (a binary search per block).
 * Draw number {@code draw} under {@code seed} gives the same rows whatever the partitioning.
 */
public final class RowSampler {
    private RowSampler() {}

    /** {@code rows} global row indices drawn uniformly with replacement from [0, total), sorted. */
    public static long[] drawRows(long total, long rows, long seed, long draw) {
        if (total <= 0) throw new IllegalArgumentException("cannot sample from an empty data set: give at least one row");
        if (rows > Integer.MAX_VALUE) throw new IllegalArgumentException("mini-batch too large: " + rows);
        long[] ids = new long[(int) rows];
        CounterRng rng = new CounterRng(seed, draw, -1);
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextLong(total);
        Arrays.sort(ids);
        return ids;
    }

    /** Copies the rows of {@code ids} (sorted; repeats copied as often as they occur) that these blocks hold into one block. */
    public static Block gather(Iterator<Block> blocks, int d, int m, long[] ids) {
        Block out = new Block(d, m, Math.max(1, ids.length));
        double[] x = out.x(), y = out.y();
        int k = 0;
        while (blocks.hasNext()) {
            Block b = blocks.next();
            long first = b.firstRow(), end = first + b.rows();
            int i = lowerBound(ids, first);
            for (; i < ids.length && ids[i] < end; i++) {
                int r = (int) (ids[i] - first);
                System.arraycopy(b.x(), r * d, x, k * d, d);
                if (m > 0) System.arraycopy(b.y(), r * m, y, k * m, m);
                k++;
            }
        }
        return out.reset(k, 0).compactCopy();
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
