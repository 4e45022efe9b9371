package org.relulearn.engine;

import org.relulearn.data.AdversaryContext;
import org.relulearn.data.SyntheticSource;

/**
 * A synthetic stream as a data set: generated block by block where it is consumed. The adversary
 * context (iteration and current iterate) is what an online label adversary may see while the rows
 * are generated; offline data uses {@link AdversaryContext#OFFLINE}.
 */
public record SyntheticData(SyntheticSource source, AdversaryContext context) implements Data {
    public SyntheticData {
        if (context == null) context = AdversaryContext.OFFLINE;
    }

    public SyntheticData(SyntheticSource source) {
        this(source, AdversaryContext.OFFLINE);
    }

    public int d() { return source.d(); }
    public int m() { return source.m(); }
    public long numRows() { return source.numRows(); }
    public String describe() {
        return "synthetic " + source.distribution().describe() + ", N=" + source.numRows() + ", seed=" + source.seed();
    }
}
