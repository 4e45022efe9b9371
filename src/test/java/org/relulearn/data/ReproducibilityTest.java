package org.relulearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.engine.BlockRanges;

/**
 * A synthetic row is a function of (seed, stream, global index) only: the same seed gives
 * bit-identical rows (features and corrupted labels) whatever the block size, the number of
 * partitions and the order the partitions run in; a regenerated (retried) block is bit-identical;
 * another stream or seed gives other data.
 */
class ReproducibilityTest {
    private static final int D = 5;
    private static final int M = 2;
    private static final long N = 10_007;   // not a multiple of any block size used

    /** Heavy-tailed inputs, a network teacher with biases, noise and random-sign poisoning. */
    private static SyntheticSource source(int rowsPerBlock) {
        LabelCorruption corruption = new LabelCorruption.Chain(List.of(
                AdditiveNoise.isotropic(M, 0.1),
                new OnlinePoisoning(0.3, 0.5, new Adversary.RandomSign())));
        return new SyntheticSource(Distributions.parse("student-t:nu=6", D),
                Teachers.randomNetwork(D, 3, M, 11, true, 0, 0.3), corruption, N, 99, 3, rowsPerBlock);
    }

    /**
     * Generates every row, partition by partition (each with its own workspace and buffer, as
     * executors do), partitions in the given order, and files each row under its global index.
     */
    private static double[][] rowsByIndex(SyntheticSource src, int partitions, boolean reverse) {
        double[][] out = new double[(int) src.numRows()][];
        long nb = src.numBlocks();
        int p = (int) Math.min(partitions, nb);
        for (int t = 0; t < p; t++) {
            int part = reverse ? p - 1 - t : t;
            SyntheticSource.Workspace ws = src.newWorkspace();
            Block buf = src.newBlock();
            for (long b = BlockRanges.first(nb, p, part); b < BlockRanges.end(nb, p, part); b++) {
                src.fill(b, buf, ws);
                assertEquals(b * src.rowsPerBlock(), buf.firstRow());
                for (int r = 0; r < buf.rows(); r++) {
                    int global = (int) (buf.firstRow() + r);
                    assertNull(out[global], "row " + global + " generated twice");
                    out[global] = row(buf, r);
                }
            }
        }
        for (int i = 0; i < out.length; i++) assertNotNull(out[i], "row " + i + " never generated");
        return out;
    }

    private static double[] row(Block b, int r) {
        int d = b.d(), m = b.m();
        double[] row = new double[d + m];
        System.arraycopy(b.x(), r * d, row, 0, d);
        System.arraycopy(b.y(), r * m, row, d, m);
        return row;
    }

    private static void assertBitIdentical(double[][] expected, double[][] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                if (Double.doubleToRawLongBits(expected[i][j]) != Double.doubleToRawLongBits(actual[i][j])) {
                    fail(what + ": row " + i + " entry " + j + " differs: " + expected[i][j] + " vs " + actual[i][j]);
                }
            }
        }
    }

    @Test
    void sameSeedGivesBitIdenticalRowsForAnyPartitioningAndBlockSize() {
        double[][] reference = rowsByIndex(source(1000), 1, false);
        assertBitIdentical(reference, rowsByIndex(source(1000), 2, false), "2 partitions");
        assertBitIdentical(reference, rowsByIndex(source(1000), 7, false), "7 partitions");
        assertBitIdentical(reference, rowsByIndex(source(1000), 7, true), "7 partitions in reverse order");
        assertBitIdentical(reference, rowsByIndex(source(333), 7, true), "blocks of 333 rows, 7 partitions");
        assertBitIdentical(reference, rowsByIndex(source(4096), 2, false), "blocks of 4096 rows, 2 partitions");
        assertBitIdentical(reference, rowsByIndex(source(1), 1, false), "one row per block");
        // the labels are really corrupted (not only the teacher's output): some rows were poisoned
        double[][] clean = rowsByIndex(new SyntheticSource(source(1000).distribution(), source(1000).teacher(), null,
                N, 99, 3, 1000), 1, false);
        int differ = 0;
        for (int i = 0; i < N; i++) if (clean[i][D] != reference[i][D]) differ++;
        assertEquals(N, differ, "additive noise changes every label");
    }

    @Test
    void arbitraryRowRangesMatchTheBlockRows() {
        SyntheticSource src = source(1000);
        double[][] reference = rowsByIndex(src, 1, false);
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = new Block(D, M, 1);   // too small: fillRows must grow it
        src.fillRows(1234, 777, buf, ws, AdversaryContext.OFFLINE);   // spans blocks 1 and 2
        assertEquals(1234, buf.firstRow());
        for (int r = 0; r < 777; r++) {
            assertBitIdentical(new double[][] {reference[1234 + r]}, new double[][] {row(buf, r)}, "row " + (1234 + r));
        }
    }

    @Test
    void aRetriedBlockIsBitIdentical() {
        SyntheticSource src = source(500);
        Block first = src.fill(5, src.newBlock(), src.newWorkspace());
        double[][] firstRows = new double[first.rows()][];
        for (int r = 0; r < first.rows(); r++) firstRows[r] = row(first, r);

        // The retry runs with a dirty buffer and a workspace that has generated other blocks since.
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        src.fill(src.numBlocks() - 1, buf, ws);   // the short last block
        src.fill(2, buf, ws);
        src.fill(5, buf, ws);
        assertEquals(first.rows(), buf.rows());
        double[][] retried = new double[buf.rows()][];
        for (int r = 0; r < buf.rows(); r++) retried[r] = row(buf, r);
        assertBitIdentical(firstRows, retried, "block 5 regenerated");
    }

    @Test
    void differentStreamsAndSeedsGiveDifferentData() {
        SyntheticSource src = source(1000);
        double[][] a = rowsByIndex(src, 1, false);
        double[][] otherStream = rowsByIndex(src.withStream(4), 1, false);
        double[][] otherSeed = rowsByIndex(new SyntheticSource(src.distribution(), src.teacher(), src.corruption(),
                N, 100, 3, 1000), 1, false);
        for (double[][] b : List.of(otherStream, otherSeed)) {
            double sab = 0, saa = 0, sbb = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < D; j++) {
                    assertNotEquals(a[i][j], b[i][j], "row " + i + " coordinate " + j + " repeats");
                }
                sab += a[i][0] * b[i][0];
                saa += a[i][0] * a[i][0];
                sbb += b[i][0] * b[i][0];
            }
            // independent streams: the sample correlation of x_0 is O(1/sqrt(N)) = 0.01
            double corr = sab / Math.sqrt(saa * sbb);
            assertTrue(Math.abs(corr) < 5 / Math.sqrt(N), "correlation between streams " + corr);
        }
    }

    @Test
    void neighbouringKeysAreUnrelated() {
        // The counter RNG's first draws for consecutive indices / streams must not be close or equal.
        CounterRng rng = new CounterRng();
        long prev = rng.reset(1, 0, 0).nextLong();
        int sameTopByte = 0;
        for (long i = 1; i < 10_000; i++) {
            long v = rng.reset(1, 0, i).nextLong();
            if ((v >>> 56) == (prev >>> 56)) sameTopByte++;
            prev = v;
        }
        // about 1/256 of pairs share the top byte by chance: 39 expected
        assertTrue(sameTopByte < 80, "consecutive indices give related draws: " + sameTopByte);
        assertNotEquals(CounterRng.key(1, 0, 1), CounterRng.key(1, 1, 0));
        assertNotEquals(CounterRng.key(0, 1, 0), CounterRng.key(1, 0, 0));
        // uniform doubles: mean 1/2, variance 1/12
        double s = 0, s2 = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double u = rng.reset(7, 2, i).nextDouble();
            assertTrue(u >= 0 && u < 1);
            s += u;
            s2 += u * u;
        }
        assertEquals(0.5, s / n, 5 * Math.sqrt(1.0 / 12 / n));
        assertEquals(1.0 / 3, s2 / n, 5 * Math.sqrt((1.0 / 5 - 1.0 / 9) / n));
    }
}
