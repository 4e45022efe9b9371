package org.relulearn.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.relulearn.data.Block;
import scala.Tuple2;

/**
 * Packs the records of one partition into {@link Block}s of {@code rowsPerBlock} rows, parsing each
 * record straight into the block's arrays (no per-row buffer). Every emitted block is a fresh
 * object, because the blocks are cached; the last, partial block is compacted. A fresh block's
 * arrays are zero, which sparse formats rely on (they write only the nonzero entries).
 *
 * <p>Each block comes with the {@link RowRun} it belongs to, and its {@code firstRow} is the index of
 * its first row within that run; a block never spans two runs. {@link FileSources} turns these into
 * global row indices once the rows are counted. A text split is one run (the split's file and start
 * byte); a packer that knows each record's row index in its file ({@link #indexInFile}) starts a new
 * run wherever the indices stop being consecutive (Spark may pack pieces of several Parquet files into
 * one partition).
 */
abstract class RowPacker<T> implements Iterator<Tuple2<RowRun, Block>> {
    private final Iterator<T> records;
    private final int d;
    private final int m;
    private final int rowsPerBlock;
    private Tuple2<RowRun, Block> pending;
    private T held;                    // a record read past the end of a run, first in the next block
    private RowRun run;
    private long runRows;

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

    /** The file (or source) a record comes from. */
    abstract String fileOf(T record);

    /** The record's row index in its file, or -1 when unknown (then a run is the whole task's input of that file). */
    long indexInFile(T record) { return -1; }

    /** Where a run of unknown row indices starts in its file (a text split's first byte). */
    long runStart() { return 0; }

    /**
     * Whether a record comes from {@code runFile}, the file of the current run. Called for every
     * record, so a packer whose records hold the file in another form overrides it to compare
     * without building a String per record.
     */
    boolean fromFile(T record, String runFile) { return runFile.equals(fileOf(record)); }

    /**
     * The record in a form that stays valid after the iterator moves on; it is kept only when a run
     * ends inside a block. Sources that reuse one record object (Spark's internal rows) copy it.
     */
    T retain(T record) { return record; }

    @Override
    public boolean hasNext() {
        if (pending == null) pending = pack();
        return pending != null;
    }

    @Override
    public Tuple2<RowRun, Block> next() {
        if (!hasNext()) throw new NoSuchElementException();
        Tuple2<RowRun, Block> b = pending;
        pending = null;
        return b;
    }

    private Tuple2<RowRun, Block> pack() {
        Block block = null;
        int rows = 0;
        long first = 0;
        while (rows < rowsPerBlock) {
            T record;
            if (held != null) {
                record = held;
                held = null;
            } else if (records.hasNext()) {
                record = records.next();
            } else {
                break;
            }
            long index = indexInFile(record);
            boolean sameRun = run != null && (index < 0 || index == run.start() + runRows) && fromFile(record, run.file());
            if (!sameRun) {
                if (rows > 0) {                 // the block ends with its run
                    held = retain(record);
                    break;
                }
                run = new RowRun(fileOf(record), index >= 0 ? index : runStart());
                runRows = 0;
            }
            if (block == null) {
                block = new Block(d, m, rowsPerBlock);
                first = runRows;
            }
            if (parse(record, block.x(), rows * d, block.y(), rows * m)) {
                rows++;
                runRows++;
            }
        }
        if (rows == 0) return null;
        block.reset(rows, first);
        return new Tuple2<>(run, rows < rowsPerBlock ? block.compactCopy() : block);
    }
}
