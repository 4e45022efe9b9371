package org.relulearn.algo.tensor;

/**
 * The exact per-sample projection and contraction identities of the Hermite toolbox (docs/tensor-gd.md), and
 * the driver-side assembly of projected Hermite moments from plain sums. With V (d x K) orthonormal
 * and u = V^T x, He_j(x)(V,...,V) = He_j(u) (the Hermite tensor built with I_K), so any projected
 * moment E[y He_j(x)](V,...,V) is a function of the K-vectors u only: nothing of size d^3 or d^4 is
 * ever formed.
 *
 * <pre>
 *   He_2(u)            = u u^T - I
 *   He_3(u)(I,I,g)     = (g.u) u u^T - (g.u) I - g u^T - u g^T
 *   He_4(u)(I,I,G)     = (u^T G u) u u^T - (u^T G u) I - 2[(Gu) u^T + u (Gu)^T] - tr(G) u u^T + tr(G) I + 2G
 *   He_k(u)(z,...,z)   = |z|^k He_k(z.u / |z|)
 * </pre>
 * Full tensors (for tests and small K) are flat arrays as in {@link SymmetricTensors}.
 */
public final class HermiteContractions {
    private HermiteContractions() {}

    /** He_2(u) = u u^T - I as a row-major K x K matrix. */
    public static double[] he2(double[] u) {
        int k = u.length;
        double[] m = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) m[i * k + j] = u[i] * u[j] - (i == j ? 1 : 0);
        return m;
    }

    /** The full He_3(u)_abc = u_a u_b u_c - (d_ab u_c + d_ac u_b + d_bc u_a). */
    public static double[] he3(double[] u) {
        int k = u.length;
        double[] t = new double[k * k * k];
        for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) for (int c = 0; c < k; c++) {
            double v = u[a] * u[b] * u[c];
            if (a == b) v -= u[c];
            if (a == c) v -= u[b];
            if (b == c) v -= u[a];
            t[(a * k + b) * k + c] = v;
        }
        return t;
    }

    /** The full He_4(u) (x^{(x)4} - six d_pq u_r u_s terms + the three d d pairings). */
    public static double[] he4(double[] u) {
        int k = u.length;
        double[] t = new double[k * k * k * k];
        for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) for (int c = 0; c < k; c++) for (int e = 0; e < k; e++) {
            double v = u[a] * u[b] * u[c] * u[e];
            if (a == b) v -= u[c] * u[e];
            if (a == c) v -= u[b] * u[e];
            if (a == e) v -= u[b] * u[c];
            if (b == c) v -= u[a] * u[e];
            if (b == e) v -= u[a] * u[c];
            if (c == e) v -= u[a] * u[b];
            if (a == b && c == e) v += 1;
            if (a == c && b == e) v += 1;
            if (a == e && b == c) v += 1;
            t[((a * k + b) * k + c) * k + e] = v;
        }
        return t;
    }

    /** He_3(u)(I,I,g) = (g.u) u u^T - (g.u) I - g u^T - u g^T (row-major K x K). */
    public static double[] he3ContractOne(double[] u, double[] g) {
        int k = u.length;
        double gu = dot(g, u);
        double[] m = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                m[i * k + j] = gu * u[i] * u[j] - (i == j ? gu : 0) - g[i] * u[j] - u[i] * g[j];
            }
        }
        return m;
    }

    /**
     * He_4(u)(I,I,G) for symmetric G (row-major K x K) =
     * (u^T G u) u u^T - (u^T G u) I - 2[(Gu) u^T + u (Gu)^T] - tr(G) u u^T + tr(G) I + 2G.
     */
    public static double[] he4ContractTwo(double[] u, double[] gm) {
        int k = u.length;
        double[] gu = new double[k];
        double tr = 0, ugu = 0;
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) s += gm[i * k + j] * u[j];
            gu[i] = s;
            ugu += u[i] * s;
            tr += gm[i * k + i];
        }
        double[] m = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double v = (ugu - tr) * u[i] * u[j] - 2 * (gu[i] * u[j] + u[i] * gu[j]) + 2 * gm[i * k + j];
                if (i == j) v += tr - ugu;
                m[i * k + j] = v;
            }
        }
        return m;
    }

    /** He_k(u)(z,...,z) = |z|^k He_k(z.u/|z|); 0 when z = 0 and k odd, He_k(0)-consistent otherwise. */
    public static double heFullContraction(int order, double[] u, double[] z) {
        double nz = Math.sqrt(dot(z, z));
        if (nz == 0) return order == 0 ? 1 : 0;
        return Math.pow(nz, order) * HermiteRelu.he(order, dot(z, u) / nz);
    }

    /**
     * The projected order-4 moment contracted with alpha, from plain sums (docs/tensor-gd.md, Design step 2,
     * "alpha" variant):
     * <pre>
     *   R3 = [ SA - sym(s1, I) - sym(beta, S2) + s0 sym(beta, I) ] / N,   sym(c, M)_ijk = c_i M_jk + c_j M_ik + c_k M_ij
     * </pre>
     * with SA = sum y a u(x)u(x)u (packed, see {@link SymmetricTensors#addCube}), s1 = sum y a u,
     * S2 = sum y u u^T (row-major K x K), s0 = sum y, a = alpha.x, beta = V^T alpha. Equals
     * M4hat(V, V, V, alpha) exactly, sample by sample. Returns the full K^3 tensor.
     */
    public static double[] r3FromSums(double[] saPacked, double[] s1, double[] s2, double s0, double n, double[] beta, int k) {
        double[] t = SymmetricTensors.unpack3(saPacked, k);
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) for (int l = 0; l < k; l++) {
            double dij = i == j ? 1 : 0, dil = i == l ? 1 : 0, djl = j == l ? 1 : 0;
            double v = t[(i * k + j) * k + l];
            v -= s1[i] * djl + s1[j] * dil + s1[l] * dij;
            v -= beta[i] * s2[j * k + l] + beta[j] * s2[i * k + l] + beta[l] * s2[i * k + j];
            v += s0 * (beta[i] * djl + beta[j] * dil + beta[l] * dij);
            t[(i * k + j) * k + l] = v / n;
        }
        return t;
    }

    /**
     * The projected order-4 moment from plain sums (docs/tensor-gd.md, Design, "m4proj" variant):
     * <pre>
     *   T4 = S4/N - sym6(S2/N, I) + (s0/N) sym3(I, I)   (= M4hat(V,V,V,V))
     * </pre>
     * sym6 sums the six placements of the pair (S2 on two modes, I on the other two); sym3 the three
     * pairings d_ab d_ce + d_ac d_be + d_ae d_bc. S4 packed as {@link SymmetricTensors#addQuartic}.
     * Returns the full K^4 tensor.
     */
    public static double[] t4FromSums(double[] s4Packed, double[] s2, double s0, double n, int k) {
        return t4FromSums(s4Packed, s2, s0, n, k, identity(k));
    }

    /**
     * The general form with a metric C in place of I (the whitened variant: C = A^T A):
     * T4 = S4/N - sym6(S2/N, C) + (s0/N) sym3(C, C).
     */
    public static double[] t4FromSums(double[] s4Packed, double[] s2, double s0, double n, int k, double[] c) {
        double[] t = SymmetricTensors.unpack4(s4Packed, k);
        for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) for (int e = 0; e < k; e++) for (int f = 0; f < k; f++) {
            int at = ((a * k + b) * k + e) * k + f;
            double v = t[at];
            v -= s2[a * k + b] * c[e * k + f] + s2[a * k + e] * c[b * k + f] + s2[a * k + f] * c[b * k + e]
                    + s2[b * k + e] * c[a * k + f] + s2[b * k + f] * c[a * k + e] + s2[e * k + f] * c[a * k + b];
            v += s0 * (c[a * k + b] * c[e * k + f] + c[a * k + e] * c[b * k + f] + c[a * k + f] * c[b * k + e]);
            t[at] = v / n;
        }
        return t;
    }

    static double[] identity(int k) {
        double[] id = new double[k * k];
        for (int i = 0; i < k; i++) id[i * k + i] = 1;
        return id;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
