package org.relulearn.algo.tensor;

/**
 * Small symmetric tensors over R^K: packed storage of the unique entries, unpacking to full arrays,
 * and the contractions the decompositions need. A full order-p tensor is a flat array of K^p entries,
 * entry (i1,...,ip) at ((i1 K + i2) K + ...) K + ip.
 *
 * <p>Packed order 3 holds T_ijk for i <= j <= k in lexicographic order (C(K+2,3) entries); packed
 * order 4 holds T_ijkl for i <= j <= k <= l (C(K+3,4) entries). {@link #addCube} and
 * {@link #addQuartic} visit the entries in exactly that order, so a per-sample accumulation
 * {@code sum c u(x)u(x)u} is one tight loop without index arithmetic.
 */
public final class SymmetricTensors {
    private SymmetricTensors() {}

    /** C(K+2, 3): unique entries of a symmetric K x K x K tensor. */
    public static int packedSize3(int k) { return k * (k + 1) * (k + 2) / 6; }

    /** C(K+3, 4): unique entries of a symmetric order-4 tensor over R^K. */
    public static int packedSize4(int k) { return k * (k + 1) * (k + 2) * (k + 3) / 24; }

    /** out[packed ijk] += c u_i u_j u_k for i <= j <= k. */
    public static void addCube(double c, double[] u, int uOff, int k, double[] out) {
        int p = 0;
        for (int i = 0; i < k; i++) {
            double ci = c * u[uOff + i];
            for (int j = i; j < k; j++) {
                double cij = ci * u[uOff + j];
                for (int l = j; l < k; l++) out[p++] += cij * u[uOff + l];
            }
        }
    }

    /** out[packed ijkl] += c u_i u_j u_k u_l for i <= j <= k <= l. */
    public static void addQuartic(double c, double[] u, int uOff, int k, double[] out) {
        int p = 0;
        for (int i = 0; i < k; i++) {
            double ci = c * u[uOff + i];
            for (int j = i; j < k; j++) {
                double cij = ci * u[uOff + j];
                for (int l = j; l < k; l++) {
                    double cijl = cij * u[uOff + l];
                    for (int m = l; m < k; m++) out[p++] += cijl * u[uOff + m];
                }
            }
        }
    }

    /** The full K^3 tensor from its packed unique entries. */
    public static double[] unpack3(double[] packed, int k) {
        if (packed.length != packedSize3(k)) throw new IllegalArgumentException("packed order-3 tensor needs " + packedSize3(k) + " entries");
        double[] t = new double[k * k * k];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                for (int l = j; l < k; l++) {
                    double v = packed[p++];
                    t[(i * k + j) * k + l] = v;
                    t[(i * k + l) * k + j] = v;
                    t[(j * k + i) * k + l] = v;
                    t[(j * k + l) * k + i] = v;
                    t[(l * k + i) * k + j] = v;
                    t[(l * k + j) * k + i] = v;
                }
            }
        }
        return t;
    }

    /** The full K^4 tensor from its packed unique entries (all 24 index permutations set). */
    public static double[] unpack4(double[] packed, int k) {
        if (packed.length != packedSize4(k)) throw new IllegalArgumentException("packed order-4 tensor needs " + packedSize4(k) + " entries");
        double[] t = new double[k * k * k * k];
        int p = 0;
        int[] idx = new int[4];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                for (int l = j; l < k; l++) {
                    for (int m = l; m < k; m++) {
                        double v = packed[p++];
                        idx[0] = i; idx[1] = j; idx[2] = l; idx[3] = m;
                        for (int[] perm : PERMS4) {
                            t[((idx[perm[0]] * k + idx[perm[1]]) * k + idx[perm[2]]) * k + idx[perm[3]]] = v;
                        }
                    }
                }
            }
        }
        return t;
    }

    private static final int[][] PERMS4 = permutations4();

    private static int[][] permutations4() {
        int[][] out = new int[24][];
        int n = 0;
        for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) for (int c = 0; c < 4; c++) for (int d = 0; d < 4; d++) {
            if (a != b && a != c && a != d && b != c && b != d && c != d) out[n++] = new int[] {a, b, c, d};
        }
        return out;
    }

    /** T(I, I, g) of an order-3 tensor: the K x K matrix sum_l T_ijl g_l (row-major). */
    public static double[] contractLast(double[] t, int k, double[] g) {
        double[] m = new double[k * k];
        for (int ij = 0; ij < k * k; ij++) {
            double s = 0;
            for (int l = 0; l < k; l++) s += t[ij * k + l] * g[l];
            m[ij] = s;
        }
        return m;
    }

    /** T(I, I, G) of an order-4 tensor: the K x K matrix sum_{l,m} T_ijlm G_lm (row-major). */
    public static double[] contractLastTwo(double[] t, int k, double[] gMatrix) {
        int kk = k * k;
        double[] m = new double[kk];
        for (int ij = 0; ij < kk; ij++) {
            double s = 0;
            for (int lm = 0; lm < kk; lm++) s += t[ij * kk + lm] * gMatrix[lm];
            m[ij] = s;
        }
        return m;
    }

    /** T(z, ..., z) of a full order-p tensor. */
    public static double evaluate(double[] t, int k, int order, double[] z) {
        double[] cur = t;
        int len = t.length;
        for (int o = 0; o < order; o++) {
            int next = len / k;
            double[] r = new double[next];
            for (int a = 0; a < next; a++) {
                double s = 0;
                for (int l = 0; l < k; l++) s += cur[a * k + l] * z[l];
                r[a] = s;
            }
            cur = r;
            len = next;
        }
        return cur[0];
    }

    /** The rank-one tensor u^{(x)p} (full, K^p entries). */
    public static double[] power(double[] u, int k, int order) {
        double[] t = {1.0};
        for (int o = 0; o < order; o++) {
            double[] r = new double[t.length * k];
            for (int a = 0; a < t.length; a++) for (int l = 0; l < k; l++) r[a * k + l] = t[a] * u[l];
            t = r;
        }
        return t;
    }

    /** Frobenius norm of a flat array. */
    public static double frobenius(double[] t) {
        double s = 0;
        for (double v : t) s += v * v;
        return Math.sqrt(s);
    }
}
