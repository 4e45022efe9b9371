package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.gate.GateTrainer;
import org.relulearn.algo.gate.TrajectoryPoint;
import org.relulearn.data.Adversary;
import org.relulearn.data.Distributions;
import org.relulearn.data.OnlinePoisoning;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;

/** Distributed mini-batch and streaming modes see the same samples and give the same iterates. */
class GateModesTest {
    private static final int D = 30;

    private static SyntheticSource source(int rowsPerBlock) {
        ReluGate gate = Teachers.randomGate(D, 4, false);
        return new SyntheticSource(Distributions.parse("laplace", D), gate,
                new OnlinePoisoning(0.3, 0.5, new Adversary.Alternating()), 1, 99, 5, rowsPerBlock);
    }

    static GateResult run(PassRunner runner, GateOptions.Mode mode, int segment, int rowsPerBlock) {
        double[] w1 = new double[D];
        Arrays.fill(w1, 0.5);
        GateOptions o = GateOptions.defaults().withBatch(600).withIterations(40).withEvalEvery(5).withPilotSamples(5000)
                .withMode(mode, segment);
        SyntheticSource src = source(rowsPerBlock);
        return GateTrainer.fit(runner, src, o, w1, ((ReluGate) src.teacher()).weights());
    }

    @Test
    void distributedAndStreamingModesGiveTheSameIterates() {
        SparkPassRunner spark = new SparkPassRunner(SparkTestSession.get(), SparkPassRunner.RunnerOptions.defaults().withPartitions(3));
        GateResult streaming = run(spark, GateOptions.Mode.STREAMING, 7, 4096);
        GateResult distributed = run(spark, GateOptions.Mode.DISTRIBUTED, 7, 97);
        GateResult local = run(new LocalPassRunner(2), GateOptions.Mode.DISTRIBUTED, 7, 50);
        assertEquals(40, streaming.iterations());
        assertArrayEquals(streaming.w(), distributed.w(), 1e-12);
        assertArrayEquals(streaming.w(), local.w(), 1e-12);
        List<TrajectoryPoint> a = streaming.trajectory(), b = distributed.trajectory();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).error(), b.get(i).error(), 1e-12);
    }

    @Test
    void sameSeedSameTrajectoryWhateverThePartitioning() {
        GateResult p1 = run(new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(1).withDeterministic(true)), GateOptions.Mode.DISTRIBUTED, 1, 64);
        GateResult p7 = run(new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(7).withDeterministic(true)), GateOptions.Mode.DISTRIBUTED, 1, 64);
        GateResult p7again = run(new SparkPassRunner(SparkTestSession.get(),
                SparkPassRunner.RunnerOptions.defaults().withPartitions(7).withDeterministic(true)), GateOptions.Mode.DISTRIBUTED, 1, 64);
        assertArrayEquals(p1.w(), p7.w(), 1e-12);
        assertArrayEquals(p7.w(), p7again.w(), 0.0, "deterministic mode is bit-identical for a given partitioning");
    }
}
