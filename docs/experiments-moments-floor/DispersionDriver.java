import java.util.*;
import org.relulearn.algo.moments.*;
import org.relulearn.data.*;
import org.relulearn.engine.Shared;

/**
 * Scratch driver: does the noise of the pass-2 moment fall as N^-1/2 on the experiment's Gaussian
 * rows? The rows are the experiment's (gaussian, d = 20, teacher seed 1, noise 0.1, data seed, stream 0).
 * Pass 2 is taken in the population projection (P, Bt from B = A W) over chunks of c blocks of 4096 rows.
 * For each entry of G, c_rows * Var(chunk means) estimates the per-row variance; i.i.d. rows give the
 * same value at every chunk size. Small chunks: 2 blocks over the first `smallRows`; large chunks:
 * `bigChunk` blocks over all `rows`. Prints the mean and spread of log(ratio large / small) over the entries.
 *
 * Usage: DispersionDriver rows smallRows bigChunkBlocks [seed]
 */
public class DispersionDriver {
    public static void main(String[] args) {
        long rows = Long.parseLong(args[0]);
        long smallRows = Long.parseLong(args[1]);
        int bigChunk = Integer.parseInt(args[2]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        int d = 20, k = 4, l = 6, smallChunk = 2;
        OneHiddenLayerNetwork teacher = Teachers.randomNetwork(d, k, l, 1, false, 0, 0);
        double[] b = org.relulearn.linalg.Dense.multiply(teacher.outputWeights(), l, k, teacher.weights(), d);
        MomentsSolver.OutputBasis basis = MomentsSolver.outputBasis(b, l, d, k);
        Shared<DetectorProjection> proj = Shared.local(new DetectorProjection(l, k, d, basis.p(), basis.bt(), null));
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), teacher, AdditiveNoise.isotropic(l, 0.1), rows, seed, 0, 4096);
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        int len = k * (k + 1) / 2 * (d * (d + 1) / 2);
        double[][] small = new double[3][len], big = new double[3][len];   // count, sum, sum of squares of chunk means
        long nb = src.numBlocks();
        long smallBlocks = smallRows / 4096;
        DetectorMomentAggregator aggS = null, aggB = null;
        int inS = 0, inB = 0;
        long t0 = System.nanoTime();
        for (long blk = 0; blk < nb; blk++) {
            Block bl = src.fill(blk, buf, ws);
            if (bl.rows() < 4096) break;       // only full blocks, so every chunk has the same size
            if (aggB == null) aggB = new DetectorMomentAggregator(proj);
            aggB.add(bl);
            if (++inB == bigChunk) { acc(big, aggB.result().g()); aggB = null; inB = 0; }
            if (blk < smallBlocks) {
                if (aggS == null) aggS = new DetectorMomentAggregator(proj);
                aggS.add(bl);
                if (++inS == smallChunk) { acc(small, aggS.result().g()); aggS = null; inS = 0; }
            }
        }
        double cs = smallChunk * 4096.0, cb = bigChunk * 4096.0;
        double[] logs = new double[len];
        double mean = 0;
        int used = 0;
        for (int i = 0; i < len; i++) {
            double vs = var(small, i) * cs, vb = var(big, i) * cb;
            if (!(vs > 0) || !(vb > 0)) continue;
            logs[used] = Math.log(vb / vs);
            mean += logs[used++];
        }
        mean /= used;
        double ss = 0;
        for (int i = 0; i < used; i++) ss += (logs[i] - mean) * (logs[i] - mean);
        double sd = Math.sqrt(ss / (used - 1));
        double nBig = big[0][0], nSmall = small[0][0];
        System.out.printf(Locale.ROOT, "rows %d seed %d: %d small chunks of %.0f rows, %d large chunks of %.0f rows, %.1f s%n", rows, seed,
                (long) nSmall, cs, (long) nBig, cb, (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "per-row variance, large / small chunks, over %d entries of G: geometric mean %.4f, log-sd %.3f"
                + " (one entry's log ratio has sd about sqrt(2/(%d-1) + 2/(%d-1)) = %.3f if rows are i.i.d.)%n",
                used, Math.exp(mean), sd, (long) nBig, (long) nSmall, Math.sqrt(2 / (nBig - 1) + 2 / (nSmall - 1)));
    }

    static void acc(double[][] a, double[] g) {
        for (int i = 0; i < g.length; i++) { a[0][i] += 1; a[1][i] += g[i]; a[2][i] += g[i] * g[i]; }
    }

    static double var(double[][] a, int i) {
        double n = a[0][i], m = a[1][i] / n;
        return (a[2][i] / n - m * m) * n / (n - 1);
    }
}
