package org.relulearn.linalg;

import java.util.Arrays;

/**
 * Optimal assignment (the Hungarian method, O(r^2 c) with row/column potentials and shortest
 * augmenting paths): for a cost matrix C (r x c, row-major, r <= c) it finds distinct columns
 * p(0..r-1) minimising sum_i C[i, p(i)]. Used to match recovered hidden units to true ones (cost =
 * -|cosine|), which is invariant to the permutation a method of moments cannot resolve.
 */
public final class Hungarian {
    private Hungarian() {}

    /**
     * The column assigned to each row in a minimum-cost assignment.
     *
     * @param cost row-major r x c, finite entries, r <= c (not modified)
     * @return p with p[i] the column of row i, all distinct
     */
    public static int[] minimise(double[] cost, int r, int c) {
        if (r < 0 || c < r) throw new IllegalArgumentException("need 0 <= rows <= columns, got " + r + " x " + c);
        if (cost.length != r * c) throw new IllegalArgumentException("cost must have " + r * c + " entries, has " + cost.length);
        for (int i = 0; i < cost.length; i++) {
            if (!Double.isFinite(cost[i])) {
                throw new IllegalArgumentException("cost entry (" + i / c + ", " + i % c + ") is not finite: " + cost[i]);
            }
        }
        // 1-based indices; column 0 is a virtual column holding the row being inserted.
        double[] u = new double[r + 1], v = new double[c + 1], minTo = new double[c + 1];
        int[] rowOf = new int[c + 1], prev = new int[c + 1];
        boolean[] used = new boolean[c + 1];
        for (int i = 1; i <= r; i++) {
            rowOf[0] = i;
            int j0 = 0;
            Arrays.fill(minTo, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                // Grow the alternating tree by the cheapest reduced-cost edge out of it.
                used[j0] = true;
                int i0 = rowOf[j0], j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= c; j++) {
                    if (used[j]) continue;
                    double reduced = cost[(i0 - 1) * c + (j - 1)] - u[i0] - v[j];
                    if (reduced < minTo[j]) {
                        minTo[j] = reduced;
                        prev[j] = j0;
                    }
                    if (minTo[j] < delta) {
                        delta = minTo[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= c; j++) {
                    if (used[j]) {
                        u[rowOf[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minTo[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOf[j0] != 0);
            // Flip the augmenting path back to the virtual column.
            do {
                int j1 = prev[j0];
                rowOf[j0] = rowOf[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] p = new int[r];
        for (int j = 1; j <= c; j++) if (rowOf[j] != 0) p[rowOf[j] - 1] = j - 1;
        return p;
    }

    /** A maximum-score assignment: {@link #minimise} of the negated scores. */
    public static int[] maximise(double[] score, int r, int c) {
        double[] neg = new double[score.length];
        for (int i = 0; i < neg.length; i++) neg[i] = -score[i];
        return minimise(neg, r, c);
    }
}
