package org.relulearn.algo.convex;

/**
 * A tighter squared-loss certificate for small n (rows on the driver). For each pattern cone
 * C_i = {theta : (2D_i - I) X theta >= 0} and g = +-X^T D_i z,
 * <pre>
 *   max_{theta in C_i, ||theta|| <= 1} g^T theta  <=  min_{mu >= 0} || g + X^T (2D_i - I) mu ||
 * </pre>
 * (weak duality; equality at the minimiser). Any mu >= 0 gives a valid bound; cyclic coordinate
 * descent on the convex quadratic ||g + A^T mu||^2 over mu >= 0, each coordinate minimised exactly,
 * drives it down to the true cone maximum, which the ADMM multipliers only approach as ADMM converges.
 */
public final class ConeCertificate {
    private ConeCertificate() {}

    /**
     * @param x     rows, row-major n x d'
     * @param gates row-major P x d'
     * @param ftz   X^T D_i z, row-major P x d'
     * @return c(z), an upper bound on max_{||theta|| <= 1} |z^T (X theta)_+| over the cones of the given patterns
     */
    public static double coneBound(double[] x, int n, double[] gates, int p, int dp, double[] ftz, int sweeps) {
        double[] e = new double[n];
        double[] norm2 = new double[n];
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int j = 0; j < dp; j++) s += x[r * dp + j] * x[r * dp + j];
            norm2[r] = s;
        }
        double worst = 0;
        double[] q = new double[dp];
        double[] mu = new double[n];
        for (int i = 0; i < p; i++) {
            for (int r = 0; r < n; r++) {
                double gx = 0;
                for (int j = 0; j < dp; j++) gx += gates[i * dp + j] * x[r * dp + j];
                e[r] = gx >= 0 ? 1 : -1;
            }
            for (int sign = -1; sign <= 1; sign += 2) {
                for (int j = 0; j < dp; j++) q[j] = sign * ftz[i * dp + j];
                java.util.Arrays.fill(mu, 0);
                for (int sweep = 0; sweep < sweeps; sweep++) {
                    for (int r = 0; r < n; r++) {
                        if (norm2[r] == 0) continue;
                        double aq = 0;
                        for (int j = 0; j < dp; j++) aq += e[r] * x[r * dp + j] * q[j];
                        double next = Math.max(0, mu[r] - aq / norm2[r]);
                        double step = next - mu[r];
                        if (step != 0) {
                            for (int j = 0; j < dp; j++) q[j] += step * e[r] * x[r * dp + j];
                            mu[r] = next;
                        }
                    }
                }
                double s = 0;
                for (int j = 0; j < dp; j++) s += q[j] * q[j];
                worst = Math.max(worst, Math.sqrt(s));
            }
        }
        return worst;
    }

    /** The lower bound z_s^T y - ||z_s||^2 / 2 with z_s = z min(1, beta / c). */
    public static double lowerBound(double c, double beta, double zy, double zz) {
        double scale = c > beta ? beta / c : 1;
        return scale * zy - 0.5 * scale * scale * zz;
    }
}
