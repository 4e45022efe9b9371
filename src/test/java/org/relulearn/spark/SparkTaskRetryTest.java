package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.SyntheticData;

/**
 * A task that fails half-way through its first attempt is retried by Spark ({@code local[2,2]}
 * allows one retry), regenerates its blocks from (seed, stream, index) and gives the same result:
 * bit-identical in deterministic mode, to 1e-12 under treeReduce (whose driver-side merge order
 * follows task completion).
 */
class SparkTaskRetryTest {
    private static final int D = 4;
    private static final int M = 1;
    /** Failures injected so far (local mode: executors share this JVM). */
    static final AtomicInteger INJECTED = new AtomicInteger();

    /** Moments that throw after the second block of the first attempt of one partition. */
    static final class FailsOnFirstAttempt implements Aggregator<FailsOnFirstAttempt> {
        private static final long serialVersionUID = 1L;
        final MomentAggregator moments = new MomentAggregator(D, M);
        final int failingPartition;
        int blocksAdded;

        FailsOnFirstAttempt(int failingPartition) { this.failingPartition = failingPartition; }

        public void add(Block b) {
            moments.add(b);
            blocksAdded++;
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == failingPartition && task.attemptNumber() == 0 && blocksAdded == 2) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected failure in the first attempt of partition " + failingPartition
                        + " (expected in this test)");
            }
        }

        public FailsOnFirstAttempt merge(FailsOnFirstAttempt o) {
            moments.merge(o.moments);
            return this;
        }

        public long count() { return moments.count(); }
    }

    @Test
    void aRetriedTaskGivesTheUndisturbedResult() {
        String master = SparkTestSession.get().sparkContext().master();
        assertTrue(master.matches("local\\[(\\d+|\\*),\\s*([2-9]|\\d{2,})\\]"),
                "this test needs a local master that retries failed tasks, local[N,F] with F >= 2; the test JVM's master is "
                        + master + " (surefire sets spark.master=local[2,2])");
        SyntheticData data = new SyntheticData(new SyntheticSource(Distributions.parse("student-t:nu=6", D),
                Teachers.randomGate(D, 3, true), null, 20_000, 5, 0, 500));
        for (boolean deterministic : new boolean[] {true, false}) {
            SparkPassRunner runner = new SparkPassRunner(SparkTestSession.get(),
                    new SparkPassRunner.RunnerOptions(4, 2, deterministic, 0));
            Moments clean = runner.aggregate(data, () -> new FailsOnFirstAttempt(-1), "test: undisturbed").moments.result();
            int before = INJECTED.get();
            Moments retried = runner.aggregate(data, () -> new FailsOnFirstAttempt(1), "test: partition 1 fails once").moments.result();
            assertEquals(before + 1, INJECTED.get(), "exactly one injected failure, then a successful retry");
            assertEquals(clean.n(), retried.n(), "no block lost or counted twice");
            if (deterministic) {
                assertArrayEquals(clean.meanX(), retried.meanX());
                assertArrayEquals(clean.secondX(), retried.secondX());
                assertArrayEquals(clean.crossYX(), retried.crossYX());
                assertArrayEquals(clean.secondY(), retried.secondY());
            } else {
                assertArrayEquals(clean.secondX(), retried.secondX(), 1e-12);
                assertArrayEquals(clean.crossYX(), retried.crossYX(), 1e-12);
            }
        }
    }
}
