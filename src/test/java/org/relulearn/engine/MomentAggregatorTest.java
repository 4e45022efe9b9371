package org.relulearn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;

/**
 * The moment aggregator: its sums equal a naive double loop, its merge is associative and
 * commutative to round-off in any tree, it survives serialisation (Spark ships it), and it refuses
 * shapes it was not built for.
 */
class MomentAggregatorTest {
    private static final int D = 5;
    private static final int M = 2;

    /** 31 blocks (the last short) of Laplace rows labelled by a network with biases. */
    private static List<Block> blocks() {
        SyntheticSource src = new SyntheticSource(Distributions.parse("laplace", D),
                Teachers.randomNetwork(D, 3, M, 4, true, 0, 0.2), null, 30_011, 17, 0, 1000);
        List<Block> out = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        for (long b = 0; b < src.numBlocks(); b++) out.add(src.fill(b, buf, ws).compactCopy());
        return out;
    }

    private static MomentAggregator agg(List<Block> blocks, int from, int to) {
        MomentAggregator a = new MomentAggregator(D, M);
        for (int i = from; i < to; i++) a.add(blocks.get(i));
        return a;
    }

    private static void assertClose(Moments expected, Moments actual, double relTol, String what) {
        assertEquals(expected.n(), actual.n(), what + ": n");
        double[][] e = {expected.meanX(), expected.secondX(), expected.crossYX(), expected.meanY(), expected.secondY()};
        double[][] a = {actual.meanX(), actual.secondX(), actual.crossYX(), actual.meanY(), actual.secondY()};
        String[] names = {"meanX", "secondX", "crossYX", "meanY", "secondY"};
        for (int k = 0; k < e.length; k++) {
            assertEquals(e[k].length, a[k].length, what + ": " + names[k] + " length");
            for (int i = 0; i < e[k].length; i++) {
                assertEquals(e[k][i], a[k][i], relTol * Math.max(1, Math.abs(e[k][i])), what + ": " + names[k] + "[" + i + "]");
            }
        }
    }

    @Test
    void sumsEqualANaiveDoubleLoop() {
        List<Block> blocks = blocks();
        long n = 0;
        double[] sx = new double[D], sxx = new double[D * D], syx = new double[M * D], sy = new double[M], syy = new double[M * M];
        for (Block b : blocks) {
            for (int r = 0; r < b.rows(); r++) {
                n++;
                for (int i = 0; i < D; i++) {
                    double xi = b.x()[r * D + i];
                    sx[i] += xi;
                    for (int j = 0; j < D; j++) sxx[i * D + j] += xi * b.x()[r * D + j];
                }
                for (int i = 0; i < M; i++) {
                    double yi = b.y()[r * M + i];
                    sy[i] += yi;
                    for (int j = 0; j < D; j++) syx[i * D + j] += yi * b.x()[r * D + j];
                    for (int j = 0; j < M; j++) syy[i * M + j] += yi * b.y()[r * M + j];
                }
            }
        }
        double inv = 1.0 / n;
        Moments naive = new Moments(D, M, n, scale(sx, inv), scale(sxx, inv), scale(syx, inv), scale(sy, inv), scale(syy, inv));
        Moments mo = agg(blocks, 0, blocks.size()).result();
        assertEquals(30_011, mo.n());
        assertClose(naive, mo, 1e-11, "aggregator vs naive loop");
        // symmetric results, the lower triangle filled from the upper
        for (int i = 0; i < D; i++) for (int j = 0; j < D; j++) assertEquals(mo.secondX()[i * D + j], mo.secondX()[j * D + i], 0);
        // covariance = second moment - mean mean^T
        double[] cov = mo.covarianceX();
        assertEquals(mo.secondX()[1] - mo.meanX()[0] * mo.meanX()[1], cov[1], 1e-15);
    }

    private static double[] scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) a[i] *= s;
        return a;
    }

    @Test
    void mergeIsAssociativeAndCommutativeInAnyTree() {
        List<Block> blocks = blocks();
        int a = 10, b = 21, n = blocks.size();
        Moments single = agg(blocks, 0, n).result();
        Moments leftTree = agg(blocks, 0, a).merge(agg(blocks, a, b)).merge(agg(blocks, b, n)).result();
        Moments rightTree = agg(blocks, 0, a).merge(agg(blocks, a, b).merge(agg(blocks, b, n))).result();
        Moments permuted = agg(blocks, b, n).merge(agg(blocks, 0, a)).merge(agg(blocks, a, b)).result();
        Moments reversed = agg(blocks, a, b).merge(agg(blocks, b, n)).merge(agg(blocks, 0, a)).result();
        assertClose(single, leftTree, 1e-12, "(A+B)+C");
        assertClose(single, rightTree, 1e-12, "A+(B+C)");
        assertClose(single, permuted, 1e-12, "(C+A)+B");
        assertClose(single, reversed, 1e-12, "(B+C)+A");
        // one aggregator per block, merged pairwise
        List<MomentAggregator> level = new ArrayList<>();
        for (int i = 0; i < n; i++) level.add(agg(blocks, i, i + 1));
        while (level.size() > 1) {
            List<MomentAggregator> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? level.get(i).merge(level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        assertClose(single, level.get(0).result(), 1e-12, "pairwise tree");
    }

    @Test
    void survivesSerialisationMidPass() throws Exception {
        List<Block> blocks = blocks();
        MomentAggregator half = agg(blocks, 0, 15);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(half);
        }
        MomentAggregator copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (MomentAggregator) in.readObject();
        }
        for (int i = 15; i < blocks.size(); i++) copy.add(blocks.get(i));   // scratch was transient
        Moments expected = agg(blocks, 0, blocks.size()).result();
        Moments actual = copy.result();
        assertArrayEquals(expected.secondX(), actual.secondX(), 0);
        assertArrayEquals(expected.crossYX(), actual.crossYX(), 0);
        assertArrayEquals(expected.secondY(), actual.secondY(), 0);
    }

    @Test
    void edgeCasesAndShapeChecks() {
        MomentAggregator empty = new MomentAggregator(D, M);
        assertThrows(IllegalStateException.class, empty::result);
        empty.add(new Block(3, 1, 4).reset(0, 0));   // zero rows: ignored, whatever the shape
        assertEquals(0, empty.count());
        assertThrows(IllegalArgumentException.class, () -> empty.add(new Block(3, M, 4).reset(2, 0)));
        assertThrows(IllegalArgumentException.class, () -> empty.merge(new MomentAggregator(D, 1)));
        assertThrows(IllegalArgumentException.class, () -> new MomentAggregator(0, 1));
        // m = 0: features only
        MomentAggregator xOnly = new MomentAggregator(2, 0);
        xOnly.add(Block.wrap(2, 0, 2, 0, new double[] {1, 2, 3, 4}, new double[0]));
        Moments mo = xOnly.result();
        assertArrayEquals(new double[] {2, 3}, mo.meanX(), 0);
        assertArrayEquals(new double[] {5, 7, 7, 10}, mo.secondX(), 0);
        assertEquals(0, mo.crossYX().length);
        assertTrue(mo.allFinite());
        // a NaN in the data shows up as non-finite moments
        MomentAggregator bad = new MomentAggregator(2, 0);
        bad.add(Block.wrap(2, 0, 1, 0, new double[] {1, Double.NaN}, new double[0]));
        assertFalse(bad.result().allFinite());
    }
}
