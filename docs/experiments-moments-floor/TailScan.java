import java.util.*;
import org.relulearn.data.*;

/** Scratch: the largest per-row magnitudes ||x||^2 ||y||^2 (the size of a row's pass-2 contribution) for a data seed. */
public class TailScan {
    public static void main(String[] a) {
        String law = a[0]; long n = Long.parseLong(a[1]); long seed = Long.parseLong(a[2]);
        int d = 20, k = 4, l = 6;
        OneHiddenLayerNetwork teacher = Teachers.randomNetwork(d, k, l, 1, false, 0, 0);
        SyntheticSource src = new SyntheticSource(Distributions.parse(law, d), teacher, AdditiveNoise.isotropic(l, 0.1), n, seed, 0, 4096);
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        PriorityQueue<double[]> top = new PriorityQueue<>(Comparator.comparingDouble(v -> v[0]));
        double sum = 0, sum2 = 0; long nextReport = 1_000_000;
        for (long b = 0; b < src.numBlocks(); b++) {
            Block blk = src.fill(b, buf, ws);
            double[] x = blk.x(), y = blk.y();
            for (int r = 0; r < blk.rows(); r++) {
                double xx = 0, yy = 0;
                for (int c = 0; c < d; c++) xx += x[r * d + c] * x[r * d + c];
                for (int c = 0; c < l; c++) yy += y[r * l + c] * y[r * l + c];
                double v = xx * yy; sum += v; sum2 += v * v;
                long row = blk.firstRow() + r;
                if (top.size() < 5 || v > top.peek()[0]) { top.add(new double[] {v, row, xx, yy}); if (top.size() > 5) top.poll(); }
                if (row + 1 == nextReport) {
                    List<double[]> t = new ArrayList<>(top); t.sort((p, q) -> Double.compare(q[0], p[0]));
                    System.out.printf(Locale.ROOT, "N=%d mean=%.4g sd=%.4g top/sum=%.4g top: row %d (|x|^2 %.1f, |y|^2 %.1f) v=%.4g; 2nd row %d v=%.4g%n",
                            row + 1, sum / (row + 1), Math.sqrt(sum2 / (row + 1) - Math.pow(sum / (row + 1), 2)), t.get(0)[0] / sum,
                            (long) t.get(0)[1], t.get(0)[2], t.get(0)[3], t.get(0)[0], (long) t.get(1)[1], t.get(1)[0]);
                    nextReport += 1_000_000;
                }
            }
        }
    }
}
