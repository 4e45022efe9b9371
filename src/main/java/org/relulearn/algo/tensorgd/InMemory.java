package org.relulearn.algo.tensorgd;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.data.Block;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.InMemoryData;

/**
 * Generates a synthetic source once into memory (tests, benchmarks, local runs): GD makes hundreds
 * of passes over the same rows, and regenerating Gaussian rows each pass would cost more than the
 * pass itself. Rows are identical to the streamed ones (same (seed, stream, index) draws).
 */
public final class InMemory {
    private InMemory() {}

    public static InMemoryData of(SyntheticSource src) {
        List<Block> blocks = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        for (long b = 0; b < src.numBlocks(); b++) blocks.add(src.fill(b, buf, ws).compactCopy());
        return new InMemoryData(src.d(), src.m(), blocks);
    }
}
