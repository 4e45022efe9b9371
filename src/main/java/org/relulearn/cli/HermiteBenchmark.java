package org.relulearn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relulearn.algo.hermite.HermiteOptions;
import org.relulearn.algo.hermite.HermiteRecovery;
import org.relulearn.algo.hermite.HermiteResult;
import org.relulearn.algo.hermite.HermiteTeacher;
import org.relulearn.algo.hermite.HermiteTrainer;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.SyntheticData;
import org.relulearn.spark.SparkPassRunner;

/**
 * The Hermite fit's benchmark (issue 6 figures): throughput of each pass (samples/s per core,
 * generation included) at (d, m) = (8, 4), (100, 10), (1000, 20), after a warm-up fit on a tenth of
 * the rows; and the parameter error against n at d = 8, m = 4 (biases (0, 1, -1, 0.5)), tensor only
 * and polished, with the wall time of each fit. Pass 1 costs ~d^2 per row, so the row count of each
 * throughput case is capped at 2e10 / d^2 (at least 20,000).
 */
final class HermiteBenchmark {
    private HermiteBenchmark() {}

    static final int[][] SHAPES = {{8, 4}, {100, 10}, {1000, 20}};
    static final double[] BIAS_CYCLE = {0, 1, -1, 0.5, -1.5, 0.3, 1.2, -0.4};

    static double[] biases(int m) {
        double[] b = new double[m];
        for (int i = 0; i < m; i++) b[i] = BIAS_CYCLE[i % BIAS_CYCLE.length];
        return b;
    }

    static SyntheticSource source(int d, int m, long n, long seed, long blockBytes) {
        OneHiddenLayerNetwork t = HermiteTeacher.network(d, biases(m), seed);
        return new SyntheticSource(Distributions.parse("gaussian", d), t, null, n, seed, 0, Block.rowsForBudget(d, 1, blockBytes));
    }

    static Map<String, Object> run(SparkPassRunner runner, long throughputRows, List<Long> errorNs, long polishMaxN, int polishIterations,
                                   long seed, long blockBytes) {
        Map<String, Object> out = new LinkedHashMap<>();
        int cores = runner.parallelism();
        List<Map<String, Object>> thr = new ArrayList<>();
        System.out.println("hermite pass throughput (samples/s per core, generation included; " + cores + " cores):");
        System.out.println("| d | m | N | stats | order 2 | contractions | coefficients | fit wall s | min abs cos |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int[] dm : SHAPES) {
            int d = dm[0], m = dm[1];
            long n = Math.max(20_000, Math.min(throughputRows, (long) (2e10 / ((double) d * d))));
            HermiteOptions o = HermiteOptions.defaults().withUnits(m).withAffineFit(HermiteOptions.AffineFit.OFF);
            SyntheticSource src = source(d, m, n, seed, blockBytes);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("m", m);
            row.put("n", n);
            try {
                HermiteTrainer.fit(runner, new SyntheticData(src.withNumRows(Math.max(2_000, n / 10)).withStream(99)), o);
            } catch (IllegalArgumentException | ArithmeticException warmupFailure) {
                // The warm-up only loads classes and JIT-compiles; a failed fit on few rows is expected at large d.
            }
            long t0 = System.nanoTime();
            HermiteResult r;
            try {
                r = HermiteTrainer.fit(runner, new SyntheticData(src), o);
            } catch (IllegalArgumentException | ArithmeticException e) {
                row.put("error", e.getMessage());
                thr.add(row);
                System.out.printf("| %d | %d | %,d | fit failed: %s |%n", d, m, n, e.getMessage());
                continue;
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double[] perCore = new double[4];
            for (int p = 0; p < 4; p++) perCore[p] = n / r.seconds()[p] / cores;
            double cos = HermiteRecovery.of(r.tensorNet(), HermiteTeacher.asNet((OneHiddenLayerNetwork) src.teacher())).minAbsCosine();
            row.put("samplesPerSecondPerCore", Map.of("stats", perCore[0], "order2", perCore[1], "contractions", perCore[2], "coefficients", perCore[3]));
            row.put("fitSeconds", wall);
            row.put("minAbsCosine", cos);
            thr.add(row);
            System.out.printf("| %d | %d | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %.1f | %.4f |%n", d, m, n, perCore[0], perCore[1], perCore[2],
                    perCore[3], wall, cos);
        }
        out.put("throughput", thr);

        List<Map<String, Object>> err = new ArrayList<>();
        System.out.println();
        System.out.println("hermite parameter error against n (d=8, m=4, biases (0, 1, -1, 0.5), noiseless):");
        System.out.println("| n | tensor-only error | min signed cos | wall s | polished error | polish passes | wall s |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (long n : errorNs) {
            SyntheticSource src = source(8, 4, n, seed, blockBytes);
            var truth = HermiteTeacher.asNet((OneHiddenLayerNetwork) src.teacher());
            HermiteOptions o = HermiteOptions.defaults().withUnits(4).withAffineFit(HermiteOptions.AffineFit.OFF);
            long t0 = System.nanoTime();
            HermiteResult r = HermiteTrainer.fit(runner, new SyntheticData(src), o);
            double wall = (System.nanoTime() - t0) / 1e9;
            HermiteRecovery rec = HermiteRecovery.of(r.tensorNet(), truth);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("n", n);
            row.put("tensorOnlyError", rec.parameterError());
            row.put("minSignedCosine", rec.minSignedCosine());
            row.put("tensorOnlySeconds", wall);
            String pol = "| - | - | - |";
            if (n <= polishMaxN && polishIterations > 0) {
                t0 = System.nanoTime();
                HermiteResult p = HermiteTrainer.fit(runner, new SyntheticData(src), o.withPolish(polishIterations, 0.2));
                double pw = (System.nanoTime() - t0) / 1e9;
                double pe = HermiteRecovery.of(p.tensorNet(), truth).parameterError();
                row.put("polishedError", pe);
                row.put("polishPasses", polishIterations);
                row.put("polishedSeconds", pw);
                pol = String.format("| %.3g | %d | %.1f |", pe, polishIterations, pw);
            }
            err.add(row);
            System.out.printf("| %,d | %.3g | %.4f | %.1f %s%n", n, rec.parameterError(), rec.minSignedCosine(), wall, pol);
        }
        out.put("errorVsN", err);
        return out;
    }
}
