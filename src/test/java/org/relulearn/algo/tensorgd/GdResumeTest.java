package org.relulearn.algo.tensorgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Distributions;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.TrainingCheckpoint;

/**
 * tensor-gd checkpoints: GD "killed" after its second checkpoint and resumed from the saved state
 * (through the Java-serialisation round trip the CLI stores) ends at bit for bit the same W, trace,
 * step size, loss and warnings as an uninterrupted run; the resumed run repeats no Phase I pass --
 * also with a step so large that the halving safeguard rolls back across the checkpoint.
 */
class GdResumeTest {

    /** Counts passes, so the test sees that Phase I is skipped. */
    private static final class CountingRunner extends ForwardingRunner {
        final AtomicInteger passes = new AtomicInteger();
        final java.util.List<String> names = new java.util.ArrayList<>();

        CountingRunner() { super(new LocalPassRunner(3, 2)); }

        @Override
        public <A extends org.relulearn.engine.Aggregator<A>> A aggregate(org.relulearn.engine.Data data,
                org.relulearn.engine.AggregatorFactory<A> factory, String description) {
            passes.incrementAndGet();
            names.add(description);
            return super.aggregate(data, factory, description);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, 4.0})
    void aResumedDescentEqualsTheUninterruptedOne(double eta) {
        OneHiddenLayerNetwork teacher = ZhongTeacher.create(6, 3, 2, false, 3);
        SyntheticData data = new SyntheticData(new SyntheticSource(Distributions.parse("gaussian", 6), teacher,
                AdditiveNoise.isotropic(1, 0.1), 20_000, 3, 0, 2048));
        TensorGdOptions o = TensorGdOptions.defaults(3).withSeed(2).withIterations(40, 0);
        if (!Double.isNaN(eta)) o = o.withEta(eta);
        TensorGdOptions opts = o;
        TensorGdResult whole = TensorGdTrainer.fit(new LocalPassRunner(3, 2), data, opts, teacher.weights(), 0.01);
        assertEquals(40, whole.gd().iterations());
        if (!Double.isNaN(eta)) assertTrue(whole.gd().halvings() > 0, "the large step must trigger the halving safeguard");

        String[] saved = new String[1];
        DescentState.Sink dying = new DescentState.Sink() {
            int n;

            @Override public int every() { return 7; }

            @Override
            public void save(DescentState s) {
                saved[0] = TrainingCheckpoint.serialize(s);
                if (++n == 2) throw new IllegalStateException("killed after checkpoint 2");
            }
        };
        assertThrows(IllegalStateException.class,
                () -> TensorGdTrainer.fit(new LocalPassRunner(3, 2), data, opts, teacher.weights(), 0.01, dying, null));
        DescentState state = TrainingCheckpoint.deserialize(saved[0], DescentState.class, "gradient-descent state");
        assertEquals(15, state.nextIteration());
        assertEquals(14, state.trace().size());

        CountingRunner counting = new CountingRunner();
        TensorGdResult resumed = TensorGdTrainer.fit(counting, data, opts, teacher.weights(), 0.01, null, state);
        assertArrayEquals(whole.w(), resumed.w(), 0.0, "W, bit for bit");
        assertArrayEquals(whole.init().w0(), resumed.init().w0(), 0.0, "the saved Phase I start");
        assertEquals(whole.gd().trace(), resumed.gd().trace());
        assertEquals(whole.gd().eta(), resumed.gd().eta(), 0.0);
        assertEquals(whole.gd().halvings(), resumed.gd().halvings());
        assertEquals(Double.doubleToLongBits(whole.gd().lambdaMax()), Double.doubleToLongBits(resumed.gd().lambdaMax()));
        assertEquals(whole.finalLoss(), resumed.finalLoss(), 0.0);
        assertEquals(whole.warnings(), resumed.warnings());
        // input statistics, GD iterations 15..40, the final loss: nothing of Phase I or the step-size search
        assertEquals(1 + 26 + 1, counting.passes.get(), "passes of the resumed run: " + counting.names);
    }

    /** Delegates every call (a test double that can observe passes). */
    private static class ForwardingRunner implements PassRunner {
        private final PassRunner inner;

        ForwardingRunner(PassRunner inner) { this.inner = inner; }

        @Override
        public <A extends org.relulearn.engine.Aggregator<A>> A aggregate(org.relulearn.engine.Data data,
                org.relulearn.engine.AggregatorFactory<A> factory, String description) {
            return inner.aggregate(data, factory, description);
        }

        @Override
        public <A extends org.relulearn.engine.Aggregator<A>> A aggregateSample(org.relulearn.engine.Data data, long rows, long seed,
                long draw, org.relulearn.engine.AggregatorFactory<A> factory, String description) {
            return inner.aggregateSample(data, rows, seed, draw, factory, description);
        }

        @Override
        public java.util.List<org.relulearn.data.Block> gatherSamples(org.relulearn.engine.Data data, long rows, long seed, long firstDraw,
                int draws, String description) {
            return inner.gatherSamples(data, rows, seed, firstDraw, draws, description);
        }

        @Override
        public <T extends java.io.Serializable> org.relulearn.engine.Shared<T> share(T value) { return inner.share(value); }

        @Override
        public <R extends java.io.Serializable> R inOneTask(org.relulearn.engine.Data data, InTaskBody<R> body, String description) {
            return inner.inOneTask(data, body, description);
        }

        @Override
        public <I extends java.io.Serializable, R extends java.io.Serializable> java.util.List<R> map(java.util.List<I> inputs,
                TaskFunction<I, R> fn, String description) {
            return inner.map(inputs, fn, description);
        }

        @Override
        public <S extends java.io.Serializable> org.relulearn.engine.StateData<S> attachState(org.relulearn.engine.Data data,
                org.relulearn.engine.StateInit<S> init, String description) {
            return inner.attachState(data, init, description);
        }

        @Override
        public <S extends java.io.Serializable, A extends org.relulearn.engine.Aggregator<A>> A updateState(
                org.relulearn.engine.StateData<S> data, org.relulearn.engine.StateUpdate<S, A> update,
                org.relulearn.engine.AggregatorFactory<A> factory, String description) {
            return inner.updateState(data, update, factory, description);
        }

        @Override
        public <S extends java.io.Serializable> void saveState(org.relulearn.engine.StateData<S> data, org.relulearn.fs.DataPath dir,
                String description) {
            inner.saveState(data, dir, description);
        }

        @Override
        public <S extends java.io.Serializable> org.relulearn.engine.StateData<S> attachSavedState(org.relulearn.engine.Data data,
                org.relulearn.fs.DataPath dir, String description) {
            return inner.attachSavedState(data, dir, description);
        }

        @Override
        public org.relulearn.engine.Data cache(SyntheticSource src) { return inner.cache(src); }

        @Override
        public int parallelism() { return inner.parallelism(); }
    }
}
