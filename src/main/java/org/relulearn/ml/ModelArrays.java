package org.relulearn.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of a model as named dense arrays with shapes, in insertion order: what a model's
 * {@code data/} directory stores, generic enough for every relulearn model (W as shape [k, d], A as
 * [m, k], b as [k], a scalar as shape [] with one value).
 *
 * <p>Multi-dimensional arrays are row-major: entry (i, j) of a [r, c] array is {@code values[i*c + j]}.
 * The number of values must equal the product of the shape. Arrays are copied in and out, so a
 * ModelArrays cannot be changed through an array it handed out.
 */
public final class ModelArrays {
    /** One named array: its shape and its row-major values. */
    public record Entry(String name, int[] shape, double[] values) {
        public Entry {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("array name must be non-empty");
            shape = shape.clone();
            values = values.clone();
            long size = 1;
            for (int s : shape) {
                if (s < 0) throw new IllegalArgumentException("array '" + name + "' has a negative dimension in shape " + Arrays.toString(shape));
                size *= s;
            }
            if (size != values.length) {
                throw new IllegalArgumentException("array '" + name + "' has shape " + Arrays.toString(shape) + " (" + size
                        + " values) but " + values.length + " values were given");
            }
        }

        @Override public int[] shape() { return shape.clone(); }
        @Override public double[] values() { return values.clone(); }

        // Records compare arrays by reference; compare contents (bit for bit, NaN equal to NaN) instead.
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && Arrays.equals(shape, e.shape) && Arrays.equals(values, e.values);
        }

        @Override
        public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

        @Override
        public String toString() { return name + Arrays.toString(shape); }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * Adds (or replaces) an array.
     *
     * @param values row-major values, as many as the product of {@code shape}
     * @param shape  dimensions; none for a scalar
     */
    public ModelArrays put(String name, double[] values, int... shape) {
        entries.put(name, new Entry(name, shape, values));
        return this;
    }

    /** Adds (or replaces) a scalar (shape []). */
    public ModelArrays putScalar(String name, double value) {
        return put(name, new double[] {value});
    }

    public boolean contains(String name) { return entries.containsKey(name); }

    /** Names in insertion order. */
    public List<String> names() { return Collections.unmodifiableList(new ArrayList<>(entries.keySet())); }

    /** The entries in insertion order. */
    public List<Entry> entries() { return List.copyOf(entries.values()); }

    public int size() { return entries.size(); }

    /** A copy of the values of {@code name}. */
    public double[] values(String name) { return entry(name).values(); }

    /** A copy of the shape of {@code name}. */
    public int[] shape(String name) { return entry(name).shape(); }

    /** The only value of a scalar (or any one-element array). */
    public double scalar(String name) {
        Entry e = entry(name);
        if (e.values.length != 1) {
            throw new IllegalArgumentException("model array '" + name + "' has shape " + Arrays.toString(e.shape) + ", expected a scalar");
        }
        return e.values[0];
    }

    /**
     * The values of {@code name}, after checking that its shape is {@code expected}: what a model
     * reader calls so a damaged or mismatched data file fails with a message instead of an index error.
     */
    public double[] values(String name, int... expected) {
        Entry e = entry(name);
        if (!Arrays.equals(e.shape, expected)) {
            throw new IllegalArgumentException("model array '" + name + "' has shape " + Arrays.toString(e.shape)
                    + ", expected " + Arrays.toString(expected));
        }
        return e.values();
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("model data has no array '" + name + "' (it has " + entries.keySet() + ")");
        }
        return e;
    }

    @Override
    public boolean equals(Object o) { return o instanceof ModelArrays a && entries().equals(a.entries()); }

    @Override
    public int hashCode() { return entries.hashCode(); }

    @Override
    public String toString() { return "ModelArrays" + entries.values(); }
}
