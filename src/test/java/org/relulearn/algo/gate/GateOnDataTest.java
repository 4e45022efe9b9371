package org.relulearn.algo.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.RowSampler;

/** The gate on a fixed data set: mini-batches drawn with replacement, no scan per step. */
class GateOnDataTest {

    static InMemoryData materialise(SyntheticSource src) {
        List<Block> blocks = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        for (long b = 0; b < src.numBlocks(); b++) blocks.add(src.fill(b, src.newBlock(), ws).compactCopy());
        return new InMemoryData(src.d(), src.m(), blocks);
    }

    @Test
    void realizableGateConvergesOnAFixedDataSet() {
        int d = 20;
        ReluGate gate = Teachers.randomGate(d, 8, false);
        SyntheticSource src = new SyntheticSource(Distributions.parse("uniform", d), gate, null, 50_000, 5, 0, 1000);
        double[] ones = new double[d];
        Arrays.fill(ones, 1);
        GateOptions o = GateOptions.defaults().withBatch(32).withIterations(1500).withEvalEvery(50);
        GateResult r = GateTrainer.fitOnData(new LocalPassRunner(), materialise(src), o, ones, gate.weights(), 3);
        assertTrue(r.finalError() < 1e-8, "w* is a fixed point of every sample: error " + r.finalError());
    }

    @Test
    void sampledMiniBatchesHaveExactSizeAndDoNotDependOnThePartitioning() {
        long[] ids = RowSampler.drawRows(1000, 1000, 1, 7);
        assertArrayEquals(ids, RowSampler.drawRows(1000, 1000, 1, 7));
        // the same 1000 rows cut into blocks two ways gather the same batch
        double[] x = new double[1000], y = new double[1000];
        for (int i = 0; i < 1000; i++) x[i] = y[i] = i;
        java.util.List<org.relulearn.data.Block> coarse = java.util.List.of(org.relulearn.data.Block.wrap(1, 1, 1000, 0, x, y));
        java.util.List<org.relulearn.data.Block> fine = new java.util.ArrayList<>();
        for (int f = 0; f < 1000; f += 70) {
            int rows = Math.min(70, 1000 - f);
            fine.add(org.relulearn.data.Block.wrap(1, 1, rows, f, Arrays.copyOfRange(x, f, f + rows), Arrays.copyOfRange(y, f, f + rows)));
        }
        org.relulearn.data.Block a = RowSampler.gather(coarse.iterator(), 1, 1, ids);
        org.relulearn.data.Block b = RowSampler.gather(fine.iterator(), 1, 1, ids);
        assertTrue(a.rows() == 1000 && b.rows() == 1000);
        assertArrayEquals(a.x(), b.x());
        for (int i = 0; i < 1000; i++) assertTrue(a.x()[i] == ids[i], "row " + ids[i] + " copied as " + a.x()[i]);
    }
}
