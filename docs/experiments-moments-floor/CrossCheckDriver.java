import java.util.*;
import org.relulearn.data.*;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.linalg.Blas;

/**
 * Scratch driver: cross-coordinate moments of the Gaussian rows and of the label-noise draws, drawn
 * exactly as the experiment draws them (SyntheticSource, gaussian law, d = 20, seed, stream 0, rows
 * 0..n-1, AdditiveNoise.isotropic(6, sigma)). The teacher has A = 0, so y is the label noise alone
 * and g = y / sigma are the standard normal noise draws of the row.
 *
 * Usage: CrossCheckDriver rows [seed]
 * Prints, per family of moments, the standardised deviations (measured - exact) / se, se = sd / sqrt(n).
 */
public class CrossCheckDriver {
    public static void main(String[] args) {
        long n = Long.parseLong(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int d = 20, m = 6, k = 4, rowsPerBlock = 4096;
        double sigma = 0.1;
        OneHiddenLayerNetwork zeroA = new OneHiddenLayerNetwork(d, k, m, new double[k * d], null, new double[m * k]);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), zeroA, AdditiveNoise.isotropic(m, sigma), n, seed, 0, rowsPerBlock);
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        double[] x2 = new double[rowsPerBlock * d], x3 = new double[rowsPerBlock * d];
        double[] g = new double[rowsPerBlock * m], g2 = new double[rowsPerBlock * m];
        double[] xx = new double[d * d], x2x2 = new double[d * d], x3x = new double[d * d];
        double[] gx = new double[m * d], g2x2 = new double[m * d], gg = new double[m * m], g2g2 = new double[m * m];
        CompensatedSum sXX = new CompensatedSum(d * d), sX2X2 = new CompensatedSum(d * d), sX3X = new CompensatedSum(d * d);
        CompensatedSum sGX = new CompensatedSum(m * d), sG2X2 = new CompensatedSum(m * d), sGG = new CompensatedSum(m * m), sG2G2 = new CompensatedSum(m * m);
        long t0 = System.nanoTime();
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, buf, ws);
            int r = blk.rows();
            double[] x = blk.x(), y = blk.y();
            for (int i = 0; i < r * d; i++) { double v = x[i]; x2[i] = v * v; x3[i] = v * v * v; }
            for (int i = 0; i < r * m; i++) { double v = y[i] / sigma; g[i] = v; g2[i] = v * v; }
            // Column-major d x r matrices: out[i + j*d] = sum_rows u_i v_j.
            Blas.native3().dgemm("N", "T", d, d, r, 1.0, x, d, x, d, 0.0, xx, d);
            Blas.native3().dgemm("N", "T", d, d, r, 1.0, x2, d, x2, d, 0.0, x2x2, d);
            Blas.native3().dgemm("N", "T", d, d, r, 1.0, x3, d, x, d, 0.0, x3x, d);
            Blas.native3().dgemm("N", "T", m, d, r, 1.0, g, m, x, d, 0.0, gx, m);
            Blas.native3().dgemm("N", "T", m, d, r, 1.0, g2, m, x2, d, 0.0, g2x2, m);
            Blas.native3().dgemm("N", "T", m, m, r, 1.0, g, m, g, m, 0.0, gg, m);
            Blas.native3().dgemm("N", "T", m, m, r, 1.0, g2, m, g2, m, 0.0, g2g2, m);
            sXX.add(xx); sX2X2.add(x2x2); sX3X.add(x3x); sGX.add(gx); sG2X2.add(g2x2); sGG.add(gg); sG2G2.add(g2g2);
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double rn = Math.sqrt((double) n);
        System.out.printf(Locale.ROOT, "rows %d, seed %d, d %d, noise draws per row %d, %.1f s%n", n, seed, d, m, sec);
        List<Double> all = new ArrayList<>();
        report("E[z_i z_j], i<j            exact 0", offDiag(sXX.value(), d, n, 0), 1, rn, all);
        report("E[z_i^2 z_j^2], i<j        exact 1", offDiag(sX2X2.value(), d, n, 1), Math.sqrt(8), rn, all);
        report("E[z_i^3 z_j], i!=j         exact 0", offDiagFull(sX3X.value(), d, n), Math.sqrt(15), rn, all);
        report("E[z_i^2]                   exact 1", diag(sXX.value(), d, n, 1), Math.sqrt(2), rn, all);
        report("E[z_i^4]                   exact 3", diag(sX2X2.value(), d, n, 3), Math.sqrt(96), rn, all);
        report("E[g_a x_c]                 exact 0", full(sGX.value(), m * d, n, 0), 1, rn, all);
        report("E[g_a^2 x_c^2] - 1         exact 0", full(sG2X2.value(), m * d, n, 1), Math.sqrt(8), rn, all);
        report("E[g_a g_b], a<b            exact 0", offDiag(sGG.value(), m, n, 0), 1, rn, all);
        report("E[g_a^2 g_b^2], a<b        exact 1", offDiag(sG2G2.value(), m, n, 1), Math.sqrt(8), rn, all);
        report("E[g_a^2]                   exact 1", diag(sGG.value(), m, n, 1), Math.sqrt(2), rn, all);
        double ss = 0, mx = 0;
        int over3 = 0;
        for (double z : all) { ss += z * z; mx = Math.max(mx, Math.abs(z)); if (Math.abs(z) > 3) over3++; }
        System.out.printf(Locale.ROOT, "ALL: %d statistics, rms z %.3f, max |z| %.2f, |z|>3: %d (expected %.1f if independent N(0,1))%n",
                all.size(), Math.sqrt(ss / all.size()), mx, over3, all.size() * 0.0027);
    }

    /** (mean - exact) over the strict upper triangle of a symmetric column-major sum. */
    static double[] offDiag(double[] s, int d, long n, double exact) {
        double[] out = new double[d * (d - 1) / 2];
        int p = 0;
        for (int j = 0; j < d; j++) for (int i = 0; i < j; i++) out[p++] = s[i + j * d] / n - exact;
        return out;
    }

    static double[] offDiagFull(double[] s, int d, long n) {
        double[] out = new double[d * (d - 1)];
        int p = 0;
        for (int j = 0; j < d; j++) for (int i = 0; i < d; i++) if (i != j) out[p++] = s[i + j * d] / n;
        return out;
    }

    static double[] diag(double[] s, int d, long n, double exact) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) out[i] = s[i + i * d] / n - exact;
        return out;
    }

    static double[] full(double[] s, int len, long n, double exact) {
        double[] out = new double[len];
        for (int i = 0; i < len; i++) out[i] = s[i] / n - exact;
        return out;
    }

    static void report(String name, double[] dev, double sd, double rn, List<Double> all) {
        double ss = 0, mx = 0, mean = 0;
        for (double v : dev) {
            double z = v / (sd / rn);
            ss += z * z;
            mean += z;
            mx = Math.max(mx, Math.abs(z));
            all.add(z);
        }
        System.out.printf(Locale.ROOT, "%s: %4d entries, rms z %.3f, mean z %+.3f, max |z| %.2f%n", name, dev.length,
                Math.sqrt(ss / dev.length), mean / dev.length, mx);
    }
}
