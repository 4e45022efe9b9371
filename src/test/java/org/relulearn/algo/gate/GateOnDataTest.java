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
    void sampledMiniBatchesHaveExactSizeAndAreReproducible() {
        long[] counts = RowSampler.partitionCounts(new long[] {100, 0, 300, 600}, 1000, 1, 7);
        assertTrue(Arrays.stream(counts).sum() == 1000 && counts[1] == 0, Arrays.toString(counts));
        assertArrayEquals(counts, RowSampler.partitionCounts(new long[] {100, 0, 300, 600}, 1000, 1, 7));
        // Roughly proportional to the partition sizes.
        assertTrue(Math.abs(counts[3] - 600) < 80 && Math.abs(counts[0] - 100) < 40, Arrays.toString(counts));
    }
}
