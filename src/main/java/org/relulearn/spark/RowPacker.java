package org.relulearn.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.relulearn.data.Block;

/**
 * Packs the records of one partition into {@link Block}s of {@code rowsPerBlock} rows, parsing each
 * record straight into the block's arrays (no per-row buffer). Every emitted block is a fresh
 * object, because the blocks are cached; the last, partial block is compacted. A fresh block's
 * arrays are zero, which sparse formats rely on (they write only the nonzero entries).
 *
 * <p>{@code firstRow} of a block is the index of its first row within the partition: file rows have
 * no global index without an extra pass, and nothing downstream needs one.
 */
abstract class RowPacker<T> implements Iterator<Block> {
    private final Iterator<T> records;
    private final int d;
    private final int m;
    private final int rowsPerBlock;
    private long rowsPacked;
    private Block pending;

    RowPacker(Iterator<T> records, int d, int m, int rowsPerBlock) {
        this.records = records;
        this.d = d;
        this.m = m;
        this.rowsPerBlock = rowsPerBlock;
    }

    /**
     * Parses one record into features {@code x[xOff, xOff+d)} and labels {@code y[yOff, yOff+m)}.
     *
     * @return false if the record holds no row (a blank line), true if the row was filled
     */
    abstract boolean parse(T record, double[] x, int xOff, double[] y, int yOff);

    @Override
    public boolean hasNext() {
        if (pending == null) pending = pack();
        return pending != null;
    }

    @Override
    public Block next() {
        if (!hasNext()) throw new NoSuchElementException();
        Block b = pending;
        pending = null;
        return b;
    }

    private Block pack() {
        Block block = null;
        int rows = 0;
        while (rows < rowsPerBlock && records.hasNext()) {
            T record = records.next();
            if (block == null) block = new Block(d, m, rowsPerBlock);
            if (parse(record, block.x(), rows * d, block.y(), rows * m)) rows++;
        }
        if (rows == 0) return null;
        block.reset(rows, rowsPacked);
        rowsPacked += rows;
        return rows < rowsPerBlock ? block.compactCopy() : block;
    }
}
