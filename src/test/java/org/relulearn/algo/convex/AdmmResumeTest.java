package org.relulearn.algo.convex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Distributions;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teacher;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.TrainingCheckpoint;

/**
 * ADMM checkpoints: a run "killed" right after its third checkpoint (the sink throws) and resumed
 * from what it wrote -- the driver state through a Java-serialisation round trip as the CLI stores
 * it, the row duals from the per-partition files -- ends with bit for bit the same groups, duals,
 * objective, history and counters as an uninterrupted run; for every loss, with rho rebalancing, on
 * the dense and the CG route. Resuming with other partitions or data is refused.
 */
class AdmmResumeTest {
    private static final int D = 4;

    @TempDir
    Path tmp;

    private static SyntheticSource source(ConvexLoss loss, long rows) {
        Teacher net = Teachers.randomNetwork(D, 3, 1, 5, true, 1, 0.3);
        Teacher t = loss == ConvexLoss.SQUARED ? net : new ClassLabelTeacher(net, 0, loss);
        return new SyntheticSource(Distributions.parse("gaussian", D), t, null, rows, 17, 3, 64);
    }

    private static ConvexOptions options(ConvexLoss loss, ConvexOptions.Route route) {
        return ConvexOptions.defaults().withLoss(loss).withBeta(1e-2).withPatterns(12).withMaxIter(47)
                .withTolerances(1e-300, 1e-300).withRoute(route).withRhoAdaptInterval(loss == ConvexLoss.HINGE ? 0 : 7).withSeed(4);
    }

    /** Saves row states under tmp, keeps the driver state as the CLI would (serialised) and dies after {@code saves}. */
    private static final class DyingSink implements AdmmState.Sink {
        final Path dir;
        final int every;
        final int saves;
        int n;
        String saved;
        org.relulearn.fs.DataPath rows;

        DyingSink(Path dir, int every, int saves) {
            this.dir = dir;
            this.every = every;
            this.saves = saves;
        }

        @Override public int every() { return every; }

        @Override public org.relulearn.fs.DataPath rowStateDir(int iteration) {
            return org.relulearn.fs.DataPath.of(dir.resolve("rows-after-" + iteration));
        }

        @Override
        public void save(AdmmState state, org.relulearn.fs.DataPath rowStateDir) {
            saved = TrainingCheckpoint.serialize(state);
            rows = rowStateDir;
            if (++n == saves) throw new IllegalStateException("killed after checkpoint " + n);
        }

        AdmmState.Resume resume() {
            return new AdmmState.Resume(TrainingCheckpoint.deserialize(saved, AdmmState.class, "ADMM state"), rows);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"squared-dense", "squared-cg", "bce-dense", "hinge-dense"})
    void aResumedRunEqualsTheUninterruptedRun(String variant) {
        ConvexLoss loss = ConvexLoss.parse(variant.substring(0, variant.indexOf('-')));
        ConvexOptions.Route route = variant.endsWith("cg") ? ConvexOptions.Route.CG : ConvexOptions.Route.DENSE;
        SyntheticData data = new SyntheticData(source(loss, 600));
        ConvexOptions o = options(loss, route);
        java.util.List<String> log = new java.util.ArrayList<>();
        ConvexResult whole = ConvexTrainer.fit(new LocalPassRunner(3, 2), data, o, log::add);
        assertEquals(47, whole.iterations(), "the test needs a run to the cap");
        long rhoChanges = log.stream().filter(l -> l.contains(", rho ") && l.contains("->")).count();
        System.out.println(variant + ": " + rhoChanges + " rho changes " + log.stream().filter(l -> l.contains("->")).toList());

        DyingSink sink = new DyingSink(tmp.resolve(variant), 10, 3);
        IllegalStateException killed = assertThrows(IllegalStateException.class,
                () -> ConvexTrainer.fit(new LocalPassRunner(3, 2), data, o, null, sink, null));
        assertTrue(killed.getMessage().contains("checkpoint 3"), killed.toString());
        AdmmState.Resume resume = sink.resume();
        assertEquals(31, resume.state().nextIteration());
        assertEquals(30, resume.state().history().size());
        ConvexResult resumed = ConvexTrainer.fit(new LocalPassRunner(3, 2), data, o, null, null, resume);

        assertArrayEquals(whole.groups(), resumed.groups(), 0.0, "v, bit for bit");
        assertArrayEquals(whole.lambda(), resumed.lambda(), 0.0, "lambda, bit for bit");
        assertEquals(whole.objective(), resumed.objective(), 0.0);
        assertEquals(whole.networkObjective(), resumed.networkObjective(), 0.0);
        assertEquals(whole.maxNu(), resumed.maxNu(), 0.0, "the row duals continued from the saved ones");
        assertEquals(Double.doubleToLongBits(whole.lowerBound()), Double.doubleToLongBits(resumed.lowerBound()));
        assertEquals(whole.rho(), resumed.rho(), 0.0);
        assertEquals(whole.iterations(), resumed.iterations());
        assertEquals(whole.passes(), resumed.passes());
        assertEquals(withoutSeconds(whole.history()), withoutSeconds(resumed.history()));
        assertEquals(json(whole.network().describe()), json(resumed.network().describe()), "the mapped network");
    }

    private static String json(Object o) {
        try {
            return org.relulearn.report.Json.mapper().writeValueAsString(o);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<ConvexResult.Iteration> withoutSeconds(List<ConvexResult.Iteration> h) {
        return h.stream().map(i -> new ConvexResult.Iteration(i.k(), i.objective(), i.networkObjective(), i.lowerBound(),
                i.relativeGap(), i.primalResidual(), i.dualResidual(), i.active(), i.coneViolation(), 0)).toList();
    }

    @Test
    void aRowStateIsRefusedForOtherPartitionsOrOtherData() throws Exception {
        SyntheticData data = new SyntheticData(source(ConvexLoss.SQUARED, 600));
        ConvexOptions o = options(ConvexLoss.SQUARED, ConvexOptions.Route.DENSE);
        DyingSink sink = new DyingSink(tmp.resolve("p"), 5, 1);
        assertThrows(IllegalStateException.class, () -> ConvexTrainer.fit(new LocalPassRunner(3, 2), data, o, null, sink, null));
        try (Stream<Path> parts = Files.list(sink.rows.local())) {
            assertEquals(List.of("part-00000", "part-00001", "part-00002"), parts.map(p -> p.getFileName().toString()).sorted().toList(),
                    "one complete file per partition, no temporary files");
        }
        AdmmState.Resume resume = sink.resume();
        IllegalArgumentException parts = assertThrows(IllegalArgumentException.class,
                () -> ConvexTrainer.fit(new LocalPassRunner(2, 2), data, o, null, null, resume));
        assertTrue(parts.getMessage().contains("--partitions"), parts.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> ConvexTrainer.fit(new LocalPassRunner(3, 2), new SyntheticData(source(ConvexLoss.SQUARED, 500)), o, null, null, resume));
        assertTrue(rows.getMessage().contains("holds 600 rows, the data has 500"), rows.getMessage());

        Files.writeString(sink.rows.local().resolve("part-00001"), "garbage");
        IllegalArgumentException corrupt = assertThrows(IllegalArgumentException.class,
                () -> ConvexTrainer.fit(new LocalPassRunner(3, 2), data, o, null, null, resume));
        assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());
    }
}
