package org.relulearn.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.relulearn.data.Block;

/**
 * The base of the aggregators: it owns the row count, the sum slots, the integer counters and the
 * running extremes, and their {@link #merge}; a subclass declares its slots in its constructor and
 * writes only {@link #addRows} (and its accessors).
 *
 * <p><b>Compensation policy.</b> Every floating-point sum of an aggregator is a {@link CompensatedSum}
 * slot. Within one block a subclass accumulates plainly (BLAS or a loop, into
 * {@link CompensatedSum#pending()} or a buffer of its own); what it then adds into a slot -- normally
 * one block's partial sums, once per block -- is added with Neumaier compensation, and {@link #merge}
 * adds the other partial result's sums and compensations with compensation too. So the error of a
 * total grows with the rows of one block, not with the number of blocks or partial results. Integer
 * counters are exact {@code long}s; extremes are merged by max or min, which is exact.
 *
 * <p>Slots are matched by declaration order: two aggregators merge only if they declared the same
 * slots (same kinds and lengths), which every instance of one factory does. Serialisable (Java or
 * Kryo) with the subclass: a subclass's fields that point at its slots stay the same objects.
 *
 * @param <A> the concrete type, so {@code merge} is typed
 */
public abstract class SummingAggregator<A extends SummingAggregator<A>> implements Aggregator<A> {
    private static final long serialVersionUID = 1L;

    private long rows;
    private final List<CompensatedSum> sums = new ArrayList<>(4);
    private final List<long[]> counters = new ArrayList<>(1);
    private final List<double[]> maxima = new ArrayList<>(1);
    private final List<double[]> minima = new ArrayList<>(1);

    /** A new compensated sum slot of {@code length} entries (zero), merged by compensated addition. */
    protected final CompensatedSum sums(int length) {
        CompensatedSum s = new CompensatedSum(length);
        sums.add(s);
        return s;
    }

    /** A new slot of {@code length} exact integer counters (zero), merged by addition. */
    protected final long[] counters(int length) {
        long[] c = new long[length];
        counters.add(c);
        return c;
    }

    /** A new slot of {@code length} running maxima (-infinity), merged elementwise by max. */
    protected final double[] maxima(int length) {
        double[] m = new double[length];
        Arrays.fill(m, Double.NEGATIVE_INFINITY);
        maxima.add(m);
        return m;
    }

    /** A new slot of {@code length} running minima (+infinity), merged elementwise by min. */
    protected final double[] minima(int length) {
        double[] m = new double[length];
        Arrays.fill(m, Double.POSITIVE_INFINITY);
        minima.add(m);
        return m;
    }

    /**
     * Counts the block's rows, lets the subclass add them ({@link #addRows}), then folds every sum
     * slot's {@link CompensatedSum#pending() pending} block additions into it with compensation.
     */
    @Override
    public final void add(Block block) {
        rows += block.rows();
        addRows(block);
        for (CompensatedSum s : sums) s.flush();
    }

    /** Adds every row of {@code block} into this aggregator's slots. Must not keep the block. */
    protected abstract void addRows(Block block);

    /**
     * State that is neither a sum, a counter nor an extreme (the first bad row seen, say), merged
     * after the slots. Nothing by default.
     */
    protected void mergeOther(A other) {}

    @Override
    @SuppressWarnings("unchecked")
    public final A merge(A other) {
        SummingAggregator<A> o = other;
        if (o.sums.size() != sums.size() || o.counters.size() != counters.size()
                || o.maxima.size() != maxima.size() || o.minima.size() != minima.size()) {
            throw new IllegalArgumentException("cannot merge " + getClass().getSimpleName() + "s with different slots");
        }
        rows += o.rows;
        for (int s = 0; s < sums.size(); s++) sums.get(s).merge(o.sums.get(s));
        for (int s = 0; s < counters.size(); s++) {
            long[] c = counters.get(s), oc = length(o.counters.get(s), c.length);
            for (int i = 0; i < c.length; i++) c[i] += oc[i];
        }
        for (int s = 0; s < maxima.size(); s++) {
            double[] m = maxima.get(s), om = length(o.maxima.get(s), m.length);
            for (int i = 0; i < m.length; i++) m[i] = Math.max(m[i], om[i]);
        }
        for (int s = 0; s < minima.size(); s++) {
            double[] m = minima.get(s), om = length(o.minima.get(s), m.length);
            for (int i = 0; i < m.length; i++) m[i] = Math.min(m[i], om[i]);
        }
        mergeOther(other);
        return (A) this;
    }

    private static long[] length(long[] a, int n) {
        if (a.length != n) throw new IllegalArgumentException("length mismatch");
        return a;
    }

    private static double[] length(double[] a, int n) {
        if (a.length != n) throw new IllegalArgumentException("length mismatch");
        return a;
    }

    /** Rows added so far, through {@link #add} and merges. */
    @Override
    public long count() { return rows; }
}
