package org.relulearn.engine;

import org.relulearn.data.Block;

/**
 * A held-out split of rows that have no global index (rows read from files): row x is held out iff
 * u(x) < fraction, where u(x) in [0, 1) is a SplitMix64-style hash of the seed and the bit patterns
 * of x's features. The split therefore depends only on the row's content and the seed -- never on
 * files, partitions, blocks or executors -- and a duplicated row always lands on the same side.
 */
public final class HeldOutRows {
    private HeldOutRows() {}

    /** u(x) in [0, 1) for the features {@code x[off, off+d)}. */
    public static double uniform(double[] x, int off, int d, long seed) {
        long h = mix(seed ^ 0x5DEECE66DL);
        for (int j = 0; j < d; j++) {
            h = mix(h + Double.doubleToLongBits(x[off + j] + 0.0)); // +0.0 maps -0.0 to 0.0
        }
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Whether row {@code r} of {@code b} is held out. */
    public static boolean isHeldOut(Block b, int r, long seed, double fraction) {
        return uniform(b.x(), r * b.d(), b.d(), seed) < fraction;
    }

    /**
     * A new compact block holding the rows of {@code b} on one side of the split, in order
     * (allocated once per block; the split is applied per pass to cached blocks).
     */
    public static Block select(Block b, boolean heldOut, long seed, double fraction) {
        int d = b.d(), m = b.m(), rows = b.rows();
        int kept = 0;
        boolean[] side = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            side[r] = isHeldOut(b, r, seed, fraction) == heldOut;
            if (side[r]) kept++;
        }
        double[] x = new double[kept * d];
        double[] y = new double[kept * m];
        int o = 0;
        for (int r = 0; r < rows; r++) {
            if (!side[r]) continue;
            System.arraycopy(b.x(), r * d, x, o * d, d);
            System.arraycopy(b.y(), r * m, y, o * m, m);
            o++;
        }
        return Block.wrap(d, m, kept, b.firstRow(), x, y);
    }

    /** Counts the held-out rows of a block. */
    public static long countHeldOut(Block b, long seed, double fraction) {
        long c = 0;
        for (int r = 0; r < b.rows(); r++) if (isHeldOut(b, r, seed, fraction)) c++;
        return c;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
