package org.relulearn.engine;

import java.util.List;
import org.relulearn.data.Block;

/** Blocks held in memory (unit tests, small files). */
public record InMemoryData(int d, int m, List<Block> blocks) implements Data {
    public InMemoryData {
        for (Block b : blocks) {
            if (b.d() != d || b.m() != m) {
                throw new IllegalArgumentException("block " + b + " does not match d=" + d + ", m=" + m);
            }
        }
        blocks = List.copyOf(blocks);
    }

    public long numRows() {
        long n = 0;
        for (Block b : blocks) n += b.rows();
        return n;
    }

    public String describe() { return "in-memory blocks (" + blocks.size() + ")"; }
}
