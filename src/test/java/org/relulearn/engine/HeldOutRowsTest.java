package org.relulearn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;

/** The content-hash split: the share matches the fraction, sides partition the rows, blocks do not matter. */
class HeldOutRowsTest {
    private static Block gaussianBlock(int rows, int d, long seed) {
        CounterRng rng = new CounterRng(seed, 0, 0);
        double[] x = new double[rows * d];
        double[] y = new double[rows];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        for (int r = 0; r < rows; r++) y[r] = r;
        return Block.wrap(d, 1, rows, 0, x, y);
    }

    @Test
    void heldOutShareMatchesTheFractionAndTheSidesPartitionTheRows() {
        Block b = gaussianBlock(100_000, 5, 3);
        long held = HeldOutRows.countHeldOut(b, 7, 0.2);
        assertEquals(0.2, held / 100_000.0, 0.005);
        Block h = HeldOutRows.select(b, true, 7, 0.2);
        Block t = HeldOutRows.select(b, false, 7, 0.2);
        assertEquals(held, h.rows());
        assertEquals(100_000, h.rows() + t.rows());
        // labels carry the original row index: the two sides are disjoint and in order
        double prev = -1;
        for (int r = 0; r < h.rows(); r++) { assertTrue(h.y()[r] > prev); prev = h.y()[r]; }
    }

    @Test
    void aRowLandsOnTheSameSideWhicheverBlockHoldsIt() {
        Block b = gaussianBlock(1000, 4, 5);
        for (int r = 0; r < 1000; r++) {
            double[] alone = java.util.Arrays.copyOfRange(b.x(), r * 4, r * 4 + 4);
            Block single = Block.wrap(4, 1, 1, 0, alone, new double[1]);
            assertEquals(HeldOutRows.isHeldOut(b, r, 9, 0.3), HeldOutRows.isHeldOut(single, 0, 9, 0.3));
        }
        assertArrayEquals(HeldOutRows.select(b, true, 9, 0.3).x(), HeldOutRows.select(b, true, 9, 0.3).x());
    }
}
