import java.util.*;
import java.util.concurrent.*;
import org.relulearn.algo.moments.*;
import org.relulearn.data.*;
import org.relulearn.engine.*;

/** Scratch driver: eW of the method of moments for several data seeds (teacher seed fixed). */
public class FloorDriver {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        if (mode.equals("sampler")) { sampler(Long.parseLong(args[1])); return; }
        String law = args[1];
        long n = Long.parseLong(args[2]);
        String[] seeds = args[3].split(",");
        int threads = Integer.parseInt(args[4]);
        long teacherSeed = args.length > 5 ? Long.parseLong(args[5]) : 1;
        int d = 20, k = 4, l = 6;
        OneHiddenLayerNetwork teacher = Teachers.randomNetwork(d, k, l, teacherSeed, false, 0, 0);
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        List<Future<String>> out = new ArrayList<>();
        for (String sd : seeds) {
            long seed = Long.parseLong(sd);
            out.add(ex.submit(() -> {
                long t = System.nanoTime();
                SyntheticSource src = new SyntheticSource(Distributions.parse(law, d), teacher, AdditiveNoise.isotropic(l, 0.1), n, seed, 0, 4096);
                SyntheticData held = new SyntheticData(src.withStream(1).withNumRows(100_000));
                MomentsResult r = MomentsTrainer.fit(new LocalPassRunner(1), new SyntheticData(src), held, MomentsOptions.defaults().withK(k));
                Recovery rec = Recovery.of(r.a(), r.w(), teacher.outputWeights(), teacher.weights(), l, k, d);
                // matched, canonical, signed W_hat rows in teacher order, for averaging across seeds
                double[] ah = r.a().clone(), wh = r.w().clone();
                MomentsSolver.canonicalise(ah, wh, l, k, d);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < k; i++) for (int c = 0; c < d; c++) sb.append(i + c == 0 ? "" : ";").append(wh[rec.matching()[i] * d + c]);
                return String.format(Locale.ROOT, "RES law=%s teacher=%d N=%d seed=%d eW=%.6g eA=%.6g nullGap=%.4g sec=%.1f W=%s",
                        law, teacherSeed, n, seed, rec.eW(), rec.eA(), r.nullGap(), (System.nanoTime() - t) / 1e9, sb);
            }));
        }
        for (Future<String> f : out) { System.out.println(f.get()); System.out.flush(); }
        ex.shutdown();
    }

    /** Raw moments of CounterRng.nextGaussian over n draws, drawn as the data source draws them. */
    static void sampler(long n) {
        CounterRng rng = new CounterRng();
        double[] s = new double[7];
        double[] c = new double[7];
        long pos = 0;
        int d = 20;
        long rows = n / d;
        for (long i = 0; i < rows; i++) {
            rng.reset(1, 0, i);
            double b1 = 0, b2 = 0, b3 = 0, b4 = 0, b6 = 0;
            for (int j = 0; j < d; j++) {
                double z = rng.nextGaussian(), z2 = z * z;
                b1 += z; b2 += z2; b3 += z2 * z; b4 += z2 * z2; b6 += z2 * z2 * z2;
                if (z > 0) pos++;
            }
            double[] v = {b1, b2, b3, b4, b6};
            for (int q = 0; q < 5; q++) { double t = s[q] + v[q]; c[q] += (Math.abs(s[q]) >= Math.abs(v[q])) ? (s[q] - t) + v[q] : (v[q] - t) + s[q]; s[q] = t; }
        }
        double m = rows * (double) d;
        String[] names = {"E z", "E z^2", "E z^3", "E z^4", "E z^6"};
        double[] exact = {0, 1, 0, 3, 15};
        double[] sdv = {1, Math.sqrt(2), Math.sqrt(15), Math.sqrt(105 - 9), Math.sqrt(10395 - 225)};
        for (int q = 0; q < 5; q++) {
            double mean = (s[q] + c[q]) / m;
            System.out.printf(Locale.ROOT, "%s = %.8f  exact %.1f  z-score %.2f%n", names[q], mean, exact[q], (mean - exact[q]) / (sdv[q] / Math.sqrt(m)));
        }
        System.out.printf(Locale.ROOT, "P(z>0) = %.8f  z-score %.2f  draws %.3g%n", pos / m, (pos / m - 0.5) / (0.5 / Math.sqrt(m)), m);
    }
}
