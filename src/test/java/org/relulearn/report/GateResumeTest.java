package org.relulearn.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.relulearn.algo.gate.GateOptions;
import org.relulearn.algo.gate.GateResult;
import org.relulearn.algo.gate.GateState;
import org.relulearn.algo.gate.GateTrainer;
import org.relulearn.error.UserInputException;
import org.relulearn.data.Adversary;
import org.relulearn.data.Distributions;
import org.relulearn.data.OnlinePoisoning;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;

/**
 * Gate checkpoints through {@link TrainingCheckpoint}: a run interrupted after its third checkpoint
 * and resumed from the file on disk reaches bit for bit the same iterate and trajectory as an
 * uninterrupted run, in both modes and under an online adversary that watches the iterate; and the
 * checkpoint file's validation gives clear errors.
 */
class GateResumeTest {
    private static final int D = 12;

    @TempDir
    Path tmp;

    private static SyntheticSource source() {
        ReluGate gate = Teachers.randomGate(D, 4, false);
        return new SyntheticSource(Distributions.parse("laplace", D), gate,
                new OnlinePoisoning(0.3, 0.5, new Adversary.Alternating()), 1, 99, 5, 256);
    }

    private static GateOptions options(GateOptions.Mode mode) {
        return GateOptions.defaults().withBatch(200).withIterations(95).withEvalEvery(5).withPilotSamples(5000)
                .withMode(mode, 13).withAverageFrom(50);
    }

    /** A sink that writes through a TrainingCheckpoint and "dies" after {@code saves} checkpoints. */
    private static GateState.Sink dyingSink(TrainingCheckpoint cp, int every, int saves) {
        return new GateState.Sink() {
            int n;

            @Override
            public int every() { return every; }

            @Override
            public void save(GateState s) {
                cp.write(s.nextIteration() - 1L, Map.of("gateState", TrainingCheckpoint.serialize(s),
                        "w", TrainingCheckpoint.encode(s.w())));
                if (++n == saves) throw new IllegalStateException("killed after checkpoint " + n);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(value = GateOptions.Mode.class, names = {"DISTRIBUTED", "STREAMING"})
    void aRunResumedFromItsCheckpointEqualsTheUninterruptedRun(GateOptions.Mode mode) {
        SyntheticSource src = source();
        double[] truth = ((ReluGate) src.teacher()).weights();
        double[] w1 = new double[D];
        Arrays.fill(w1, 0.5);
        LocalPassRunner runner = new LocalPassRunner(3, 2);
        GateOptions o = options(mode);
        GateResult whole = GateTrainer.fit(runner, src, o, w1, truth);

        Map<String, Object> config = Map.of("options", o.toMap(), "seed", 99);
        Path dir = tmp.resolve("ckpt-" + mode);
        TrainingCheckpoint cp = TrainingCheckpoint.writer(dir, "gate", config);
        IllegalStateException killed = assertThrows(IllegalStateException.class,
                () -> GateTrainer.fit(runner, src, o, w1, truth, dyingSink(cp, 20, 3), null));
        assertTrue(killed.getMessage().contains("checkpoint 3"));

        TrainingCheckpoint.Snapshot snap = TrainingCheckpoint.read(dir, "gate", config);
        assertEquals(60, snap.iteration());
        GateState state = TrainingCheckpoint.deserialize(snap.state().get("gateState"), GateState.class, "gate state");
        assertEquals(61, state.nextIteration());
        GateResult resumed = GateTrainer.fit(runner, src, o, w1, truth, null, state);

        assertEquals(whole.iterations(), resumed.iterations());
        assertArrayEquals(whole.w(), resumed.w(), 0.0, "final iterate, bit for bit");
        assertArrayEquals(whole.tailAverage(), resumed.tailAverage(), 0.0, "tail average");
        assertEquals(whole.trajectory(), resumed.trajectory(), "trajectory");
        assertEquals(whole.eta(), resumed.eta(), 0.0);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(TrainingCheckpoint.FILE), s.map(p -> p.getFileName().toString()).toList(),
                    "only the checkpoint file: no temporary files are left");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void doublesRoundTripExactly() {
        double[] v = {0.1, -0.0, Double.NaN, Double.MIN_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, 1e-300};
        double[] back = TrainingCheckpoint.decode(TrainingCheckpoint.encode(v), "v");
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(back[i]), "entry " + i);
        }
    }

    @Test
    void invalidCheckpointsAreRefusedWithTheCauseAndTheFix() throws IOException {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("iterations", 100, "batch", 16));
        UserInputException none = assertThrows(UserInputException.class,
                () -> TrainingCheckpoint.read(tmp.resolve("nothing"), "gate", config));
        assertTrue(none.getMessage().contains("is not a directory"), none.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        UserInputException missing = assertThrows(UserInputException.class, () -> TrainingCheckpoint.read(empty, "gate", config));
        assertTrue(missing.getMessage().contains("without --resume"), missing.getMessage());

        Path dir = tmp.resolve("ok");
        TrainingCheckpoint.writer(dir, "gate", config).write(7, Map.of("x", 1));
        assertEquals(7, TrainingCheckpoint.read(dir, "gate", config).iteration());

        Map<String, Object> other = new LinkedHashMap<>(config);
        other.put("iterations", 200);
        UserInputException changed = assertThrows(UserInputException.class, () -> TrainingCheckpoint.read(dir, "gate", other));
        assertTrue(changed.getMessage().contains("iterations: 100 in the checkpoint, 200 now"), changed.getMessage());
        UserInputException algo = assertThrows(UserInputException.class, () -> TrainingCheckpoint.read(dir, "admm", config));
        assertTrue(algo.getMessage().contains("written by 'gate'"), algo.getMessage());

        Files.writeString(dir.resolve(TrainingCheckpoint.FILE), "{\"format\": \"relulearn-training-checkpoint\", \"vers");
        UserInputException corrupt = assertThrows(UserInputException.class, () -> TrainingCheckpoint.read(dir, "gate", config));
        assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());

        UserInputException badState = assertThrows(UserInputException.class,
                () -> TrainingCheckpoint.deserialize("bm90IGphdmE=", GateState.class, "gate state"));
        assertTrue(badState.getMessage().contains("gate state is corrupt"), badState.getMessage());
    }
}
