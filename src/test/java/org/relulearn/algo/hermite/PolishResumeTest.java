package org.relulearn.algo.hermite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.report.TrainingCheckpoint;

/**
 * Hermite polish checkpoints: the polish "killed" after its second checkpoint and resumed from the
 * saved state (through the Java-serialisation round trip the CLI stores) ends at bit for bit the same
 * (a, W, b), losses and messages as an uninterrupted run, without repeating a tensor pass -- also
 * with a step so large that the restart/halving safeguard acts across the checkpoint.
 */
class PolishResumeTest {
    private static final OneHiddenLayerNetwork TEACHER = HermiteTeachers.network(6, new double[] {0, 1, -0.5}, 4);
    private static final InMemoryData DATA = HermiteTeachers.inMemory(HermiteTeachers.data(TEACHER, AdditiveNoise.isotropic(1, 0.05),
            20_000, 4, 0));

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 3.0})
    void aResumedPolishEqualsTheUninterruptedOne(double step) {
        HermiteOptions o = HermiteOptions.defaults().withUnits(3).withPolish(30, step);
        HermiteResult whole = HermiteTrainer.fit(new LocalPassRunner(3, 2), DATA, null, o);
        String last = whole.messages().get(whole.messages().size() - 1);
        if (step > 1) assertTrue(!last.contains("(0 halvings)"), "the large step must trigger the halving safeguard: " + last);

        String[] saved = new String[1];
        PolishState.Sink dying = new PolishState.Sink() {
            int n;

            @Override public int every() { return 6; }

            @Override
            public void save(PolishState s) {
                saved[0] = TrainingCheckpoint.serialize(s);
                if (++n == 2) throw new IllegalStateException("killed after checkpoint 2");
            }
        };
        assertThrows(IllegalStateException.class, () -> HermiteTrainer.fit(new LocalPassRunner(3, 2), DATA, null, o, dying, null));
        PolishState state = TrainingCheckpoint.deserialize(saved[0], PolishState.class, "polish state");
        assertEquals(13, state.nextIteration());
        assertEquals(12, state.losses().length);

        AtomicInteger passes = new AtomicInteger();
        java.util.List<String> names = new java.util.ArrayList<>();
        LocalPassRunner inner = new LocalPassRunner(3, 2);
        // a proxy that forwards every call and records the passes, to see that no tensor pass is repeated
        PassRunner counting = (PassRunner) java.lang.reflect.Proxy.newProxyInstance(PassRunner.class.getClassLoader(),
                new Class<?>[] {PassRunner.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("aggregate")) {
                        passes.incrementAndGet();
                        names.add(String.valueOf(args[args.length - 1]));
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        HermiteResult resumed = HermiteTrainer.fit(counting, DATA, null, o, null, state);
        assertEquals(30 - 12, passes.get(), "only the remaining polish passes: " + names);
        assertTrue(names.stream().allMatch(n -> n.startsWith("hermite: polish iteration")), names.toString());
        assertArrayEquals(whole.network().a(), resumed.network().a(), 0.0, "a, bit for bit");
        assertArrayEquals(whole.network().w(), resumed.network().w(), 0.0, "W, bit for bit");
        assertArrayEquals(whole.network().b(), resumed.network().b(), 0.0, "b, bit for bit");
        assertArrayEquals(whole.tensorOnlyNet().w(), resumed.tensorOnlyNet().w(), 0.0, "the saved tensor fit");
        assertArrayEquals(whole.polishLosses(), resumed.polishLosses(), 0.0);
        assertEquals(whole.trainingError(), resumed.trainingError(), 0.0);
        assertEquals(whole.messages(), resumed.messages());
        assertEquals(whole.unitFits(), resumed.unitFits());
    }

    @Test
    void checkpointsWithoutAPolishAreRefused() {
        PolishState.Sink sink = new PolishState.Sink() {
            @Override public int every() { return 1; }

            @Override public void save(PolishState s) { }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HermiteTrainer.fit(new LocalPassRunner(1), DATA, null, HermiteOptions.defaults().withUnits(3), sink, null));
        assertTrue(e.getMessage().contains("--polish N > 0"), e.getMessage());
    }
}
