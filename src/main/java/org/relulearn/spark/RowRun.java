package org.relulearn.spark;

import java.io.Serializable;

/**
 * A run of consecutive rows of one file as one task reads them: the file and where the run starts
 * in it (a byte offset for a text split, a row index for Parquet, a partition number for a
 * DataFrame). Runs sort into the data set's row order, files by path and runs by start, so the
 * rows before a run, summed over the sorted runs, give every row its global index: its place in
 * the data set, whatever the partitioning, the split size or the file listing order.
 */
record RowRun(String file, long start) implements Serializable, Comparable<RowRun> {
    @Override
    public int compareTo(RowRun o) {
        int c = file.compareTo(o.file);
        return c != 0 ? c : Long.compare(start, o.start);
    }
}
