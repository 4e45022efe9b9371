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

    /** Rows of one draw that one partition holds, with their global indices (ascending within each block). */
    public record Gathered(long[] ids, Block rows) implements java.io.Serializable {}

    /** As {@link #gather}, keeping each copied row's global index (for {@link #ordered}). */
    public static Gathered gatherIndexed(Iterable<Block> blocks, int d, int m, long[] ids) {
        long[] got = new long[ids.length];
        Block out = new Block(d, m, Math.max(1, ids.length));
        double[] x = out.x(), y = out.y();
        int k = 0;
        for (Block b : blocks) {
            long first = b.firstRow(), end = first + b.rows();
            for (int i = lowerBound(ids, first); i < ids.length && ids[i] < end; i++) {
                int r = (int) (ids[i] - first);
                System.arraycopy(b.x(), r * d, x, k * d, d);
                if (m > 0) System.arraycopy(b.y(), r * m, y, k * m, m);
                got[k++] = ids[i];
            }
        }
        return new Gathered(Arrays.copyOf(got, k), out.reset(k, 0).compactCopy());
    }

    /**
     * One block holding the rows of {@code parts} in ascending global index: the mini-batch exactly as
     * {@link #gather} over the whole data set in index order gives it, whatever the partitioning.
     */
    public static Block ordered(java.util.List<Gathered> parts, int d, int m) {
        int total = 0;
        for (Gathered g : parts) total += g.ids().length;
        long[] ids = new long[total];
        int[] part = new int[total], row = new int[total];
        int k = 0;
        for (int p = 0; p < parts.size(); p++) {
            long[] pi = parts.get(p).ids();
            for (int r = 0; r < pi.length; r++, k++) {
                ids[k] = pi[r];
                part[k] = p;
                row[k] = r;
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        Block out = new Block(d, m, Math.max(1, total));
        for (int i = 0; i < total; i++) {
            int o = order[i];
            Block src = parts.get(part[o]).rows();
            System.arraycopy(src.x(), row[o] * d, out.x(), i * d, d);
            if (m > 0) System.arraycopy(src.y(), row[o] * m, out.y(), i * m, m);
        }
        return out.reset(total, 0);
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
