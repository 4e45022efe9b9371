package org.relulearn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relulearn.algo.baseline.SgdReluTrainer;
import org.relulearn.algo.convex.ConvexLoss;
import org.relulearn.algo.convex.ConvexOptions;
import org.relulearn.algo.convex.ConvexResult;
import org.relulearn.algo.convex.ConvexTrainer;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.spark.CachedBlocks;
import org.relulearn.spark.SparkBlockData;
import org.relulearn.spark.SparkPassRunner;

/**
 * {@code bench --suite convex}: for each n, ADMM on the sampled convex program (squared loss) --
 * set-up time, time per iteration, the time at which the certificate's relative gap first reached
 * 1e-4 (if it did), and when the mapped network's objective first fell below the best objective of
 * the same-width network trained by mini-batch Adam (also timed).
 */
final class ConvexBenchmark {
    private ConvexBenchmark() {}

    static Map<String, Object> run(SparkPassRunner runner, List<Long> rows, int d, int patterns, int iterations, int sgdSteps) {
        List<Map<String, Object>> out = new ArrayList<>();
        System.out.printf("convex suite: d=%d (+ bias), P_s=%d, beta=1, squared loss, %d ADMM iterations (stop at relative gap 1e-4), Adam %d steps of 256%n",
                d, patterns, iterations, sgdSteps);
        System.out.println("  n | P | route | setup s | s/iteration | iterations | final rel. gap | time to gap 1e-4 | network objective | Adam objective (s) | ADMM time to beat Adam");
        for (long n : rows) {
            SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), Teachers.randomNetwork(d, 4, 1, 3, true, 0, 0.5),
                    AdditiveNoise.isotropic(1, 0.1), n, 5, 0, 4096);
            SparkBlockData blocks = CachedBlocks.cache(runner, src);
            try {
                ConvexOptions o = ConvexOptions.defaults().withBeta(1.0).withPatterns(patterns).withMaxIter(iterations).withGapTol(1e-4);
                ConvexResult r = ConvexTrainer.fit(runner, blocks, o);
                double toGap = Double.NaN;
                for (ConvexResult.Iteration it : r.history()) {
                    if (it.relativeGap() <= 1e-4) {
                        toGap = it.seconds();
                        break;
                    }
                }
                SgdReluTrainer.Result b = SgdReluTrainer.fit(runner, blocks, new SgdReluTrainer.Options(Math.max(1, r.activeNeurons()),
                        ConvexLoss.SQUARED, 1.0, sgdSteps, 256, 0.01, true, 1, Math.max(1, sgdSteps / 5)));
                double beat = Double.NaN;
                for (ConvexResult.Iteration it : r.history()) {
                    if (it.networkObjective() <= b.bestObjective()) {
                        beat = it.seconds();
                        break;
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("n", n);
                m.put("patterns", r.patterns());
                m.put("route", r.route());
                m.put("setupSeconds", r.setupSeconds());
                m.put("secondsPerIteration", r.secondsPerIteration());
                m.put("iterations", r.iterations());
                m.put("relativeGap", r.relativeGap());
                m.put("secondsToGap1e-4", toGap);
                m.put("networkObjective", r.networkObjective());
                m.put("adamBestObjective", b.bestObjective());
                m.put("adamSeconds", b.seconds());
                m.put("secondsToBeatAdam", beat);
                out.add(m);
                System.out.printf("  %,d | %d | %s | %.2f | %.3f | %d | %.3g | %s | %.6g | %.6g (%.1f s) | %s%n", n, r.patterns(), r.route(),
                        r.setupSeconds(), r.secondsPerIteration(), r.iterations(), r.relativeGap(),
                        Double.isNaN(toGap) ? "not reached" : String.format("%.2f s", toGap), r.networkObjective(), b.bestObjective(),
                        b.seconds(), Double.isNaN(beat) ? "not within the run" : String.format("%.2f s", beat));
            } finally {
                blocks.blocks().unpersist(false);
            }
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("d", d);
        res.put("patternsSampled", patterns);
        res.put("runs", out);
        return res;
    }
}
