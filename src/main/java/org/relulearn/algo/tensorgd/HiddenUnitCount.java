package org.relulearn.algo.tensorgd;

import java.util.Arrays;
import org.relulearn.linalg.Dense;

/**
 * The number of hidden units K read from the spectrum of the order-2 moment matrix
 * <pre>
 *   P2hat = (1/|S2|) sum y1 x x^T - mean(y1) I  ->  P2 = sum_j v_j (||w_j|| / sqrt(2 pi)) wbar_j wbar_j^T
 * </pre>
 * which has rank K when the teacher's rows are linearly independent: K eigenvalues carry signal, the
 * other d - K only sampling noise. The noise is measured on the same rows, not modelled: B matrices
 * E_b with the law of P2hat's error ({@link SubspaceAggregator}: random row signs cancel the signal).
 * A sequential test, one unit at a time, with U_j the top-j eigenvectors of P2hat (by |value|) and
 * P_j = I - U_j U_j^T the projection off them:
 * <pre>
 *   noise_j = sqrt( mean_b ||P_j E_b P_j||_2^2 )          (the noise left in the d - j directions not yet kept)
 *   K = the first j with |lambda_(j+1)| <= SAFETY * noise_j  (K = d when every eigenvalue passes),  SAFETY = 2.5
 * </pre>
 * A threshold rather than the largest ratio of neighbours: with a condition number kappa the signal
 * eigenvalues themselves spread by kappa, so their largest ratio can sit inside the signal. The
 * threshold depends only on the rows (their number, the labels' scale and noise, the input law),
 * nothing tuned on a particular teacher; the noise is measured in the remaining directions because
 * the error of P2hat is largest along the signal, where the labels vary most. The factor 2.5 covers
 * one noise draw against another (when K = d - 1 the remaining block is one number, and the test is
 * the weakest: about a 2% chance of taking a pure-noise direction for a unit). An eigenvalue below the threshold is a unit the data cannot
 * resolve at this n: the report gives the spectrum and the thresholds so a user can see it and force K.
 *
 * @param k           the chosen K (0 when nothing clears the threshold)
 * @param eigenvalues all eigenvalues of P2hat, signed, in order of decreasing |value|
 * @param noiseLevel  noise_K: the noise level the first rejected eigenvalue was compared with (noise_(d-1) when K = d)
 * @param threshold   SAFETY * noiseLevel
 */
public record HiddenUnitCount(int k, double[] eigenvalues, double noiseLevel, double threshold) implements java.io.Serializable {

    /** Multiple of the measured noise level an eigenvalue must clear to count as a hidden unit. */
    public static final double SAFETY = 2.5;

    /**
     * Independent noise draws E_b (each one more packed d x d sum in the subspace pass): many where
     * the remaining block is small and its norm a noisy estimate (16 for d <= 64), few where d^2
     * memory matters and the norm concentrates anyway (4 above d = 256).
     */
    public static int noiseDraws(int d) { return d <= 64 ? 16 : d <= 256 ? 8 : 4; }

    /**
     * @param p2     P2hat, row-major d x d (symmetric)
     * @param noises E_1..E_B, each row-major d x d (symmetric)
     */
    public static HiddenUnitCount of(double[] p2, double[][] noises, int d) {
        Dense.SymmetricEigen e = Dense.symmetricEigen(p2, d);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) order[i] = i;
        double[] vals = e.values();
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(vals[b]), Math.abs(vals[a])));
        double[] ev = new double[d], q = new double[d * d];   // q: row-major d x d, column c = eigenvector of ev[c]
        for (int c = 0; c < d; c++) {
            ev[c] = vals[order[c]];
            for (int i = 0; i < d; i++) q[i * d + c] = e.vector(i, order[c]);
        }
        // in P2hat's eigenbasis, P_j E_b P_j is the trailing (d - j) x (d - j) block of Q^T E_b Q
        double[] qt = Dense.transpose(q, d, d);
        double[][] rotated = new double[noises.length][];
        for (int b = 0; b < noises.length; b++) rotated[b] = Dense.multiply(Dense.multiply(qt, d, d, noises[b], d), d, d, q, d);
        double noise = Double.NaN;
        int k = 0;
        while (k < d) {
            noise = trailingNoise(rotated, d, k);
            if (!(Math.abs(ev[k]) > SAFETY * noise)) break;
            k++;
        }
        return new HiddenUnitCount(k, ev, noise, SAFETY * noise);
    }

    /** sqrt(mean_b ||trailing (d - j) block of R_b||_2^2). */
    static double trailingNoise(double[][] rotated, int d, int j) {
        int r = d - j;
        double ss = 0;
        double[] m = new double[r * r];
        for (double[] rb : rotated) {
            for (int a = 0; a < r; a++) for (int c = 0; c < r; c++) {
                m[a * r + c] = 0.5 * (rb[(j + a) * d + j + c] + rb[(j + c) * d + j + a]);
            }
            double[] v = Dense.symmetricEigen(m, r).values();
            double top = Math.max(Math.abs(v[0]), Math.abs(v[r - 1]));
            ss += top * top;
        }
        return Math.sqrt(ss / rotated.length);
    }

    /** |lambda_K| / |lambda_(K+1)| (infinite when K = d, NaN when K = 0). */
    public double gapRatio() {
        if (k == 0) return Double.NaN;
        return k == eigenvalues.length ? Double.POSITIVE_INFINITY : Math.abs(eigenvalues[k - 1]) / Math.abs(eigenvalues[k]);
    }

    /** One line for the log: the choice, the leading spectrum and the threshold. */
    public String describe() {
        int show = Math.min(eigenvalues.length, k + 3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < show; i++) sb.append(i == 0 ? "" : ", ").append(String.format("%.4g", eigenvalues[i]));
        if (show < eigenvalues.length) sb.append(", ...");
        return String.format("K = %d chosen from the spectrum of P2: %d eigenvalue(s) above the noise threshold %.3g"
                + " (2.5 x the noise %.3g measured in the remaining directions); eigenvalues by |value|: [%s]", k, k, threshold, noiseLevel, sb);
    }

    @Override
    public double[] eigenvalues() { return eigenvalues.clone(); }
}
