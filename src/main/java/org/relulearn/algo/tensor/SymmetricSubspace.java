package org.relulearn.algo.tensor;

import java.util.Arrays;
import java.util.Comparator;
import org.relulearn.linalg.Dense;

/**
 * The top-K eigen-subspace of a symmetric matrix by |eigenvalue| (eigenvalues may be negative when
 * some output weights are negative): the span of W in the tensor initialisation of Zhong et al.
 * (arXiv 1706.03175; docs/tensor-gd.md).
 *
 * <pre>
 *   P = sum_i lambda_i e_i e_i^T,  |lambda_(1)| >= |lambda_(2)| >= ...;   V = [e_(1) ... e_(K)]
 *   gapRatio = |lambda_(K)| / |lambda_(K+1)|   (+infinity when K = d)
 * </pre>
 */
public final class SymmetricSubspace {
    private SymmetricSubspace() {}

    /**
     * @param d        dimension
     * @param k        subspace dimension
     * @param vectors  row-major d x K with orthonormal columns (V)
     * @param values   the K eigenvalues, signed, in order of decreasing |value|
     * @param nextValue the (K+1)-th eigenvalue by |value| (0 when K = d)
     * @param gapRatio |lambda_(K)| / |lambda_(K+1)|
     */
    public record Subspace(int d, int k, double[] vectors, double[] values, double nextValue, double gapRatio) {}

    /** Top-K |eigen| subspace of a symmetric row-major d x d matrix (LAPACK dsyev). */
    public static Subspace topAbs(double[] a, int d, int k) {
        if (k < 1 || k > d) throw new IllegalArgumentException("subspace dimension must be in [1, d=" + d + "], got " + k);
        Dense.SymmetricEigen e = Dense.symmetricEigen(a, d);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) order[i] = i;
        double[] vals = e.values();
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -Math.abs(vals[i])).thenComparingInt(i -> i));
        double[] v = new double[d * k];
        double[] values = new double[k];
        for (int c = 0; c < k; c++) {
            int p = order[c];
            values[c] = vals[p];
            for (int i = 0; i < d; i++) v[i * k + c] = e.vector(i, p);
        }
        double next = k < d ? vals[order[k]] : 0;
        double gap = k < d ? Math.abs(values[k - 1]) / Math.abs(next) : Double.POSITIVE_INFINITY;
        return new Subspace(d, k, v, values, next, gap);
    }
}
