package org.relulearn.data;

/** Argument checks whose messages name the parameter and the offending value. */
public final class Checks {
    private Checks() {}

    public static double finite(String name, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(name + " must be finite, got " + v);
        return v;
    }

    public static double positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
        return v;
    }

    public static double nonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
        return v;
    }

    public static double probability(String name, double v) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must lie in [0, 1], got " + v);
        return v;
    }

    public static int atLeast(String name, int v, int min) {
        if (v < min) throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
        return v;
    }

    public static long atLeast(String name, long v, long min) {
        if (v < min) throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
        return v;
    }

    /** Checks that the row-major n x n matrix {@code a} is symmetric to round-off. */
    public static double[] symmetric(String name, double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-9 * (1 + Math.abs(a[i * n + j]))) {
                    throw new IllegalArgumentException(name + " is not symmetric: entry (" + i + "," + j + ") = " + a[i * n + j]
                            + " but (" + j + "," + i + ") = " + a[j * n + i] + "; give a symmetric matrix");
                }
            }
        }
        return a;
    }

    public static double[] allFinite(String name, double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + a[i]);
            }
        }
        return a;
    }
}
