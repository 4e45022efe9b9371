package org.relulearn.engine;

import org.relulearn.data.SyntheticSource;

/** A synthetic stream as a data set: generated block by block where it is consumed. */
public record SyntheticData(SyntheticSource source) implements Data {
    public int d() { return source.d(); }
    public int m() { return source.m(); }
    public long numRows() { return source.numRows(); }
    public String describe() {
        return "synthetic " + source.distribution().describe() + ", N=" + source.numRows() + ", seed=" + source.seed();
    }
}
