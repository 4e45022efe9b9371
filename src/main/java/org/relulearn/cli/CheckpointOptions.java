package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.relulearn.algo.gate.GateState;
import org.relulearn.error.UserInputException;
import org.relulearn.fs.DataPath;
import org.relulearn.report.TrainingCheckpoint;
import picocli.CommandLine.Option;

/**
 * Training-state checkpoints of an iterative command: where ({@code --checkpoint-dir}), how often
 * ({@code --checkpoint-every}), and {@code --resume DIR} to continue a killed run from its last
 * checkpoint. The generic file handling is {@link TrainingCheckpoint}; this class maps the gate's
 * state onto it (gradient descent and ADMM add theirs the same way).
 */
public class CheckpointOptions {
    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write the training state to DIR/checkpoint.json (atomically) every --checkpoint-every iterations."
                    + " Keep DIR outside --out. A path (default file system) or a URI: hdfs://, s3a://, abfs://, file://.")
    public String checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "100",
            description = "Iterations between checkpoints. Default: ${DEFAULT-VALUE}.")
    public int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run whose --checkpoint-dir was DIR from its last checkpoint (same options as that run);"
                    + " further checkpoints go to DIR too unless --checkpoint-dir is given.")
    public String resume;

    public boolean active() { return checkpointDir != null || resume != null; }

    /** The directory checkpoints are written to (null = none). */
    DataPath target() {
        return checkpointDir != null ? DataPath.of(checkpointDir, "--checkpoint-dir") : resume != null ? resumeDir() : null;
    }

    /** The --resume directory (null = none). */
    DataPath resumeDir() { return resume == null ? null : DataPath.of(resume, "--resume"); }

    void validate(String out) {
        if (checkpointEvery < 1) {
            throw new UserInputException("--checkpoint-every must be >= 1 iteration, got " + checkpointEvery);
        }
        DataPath t = target();
        if (t != null && out != null) {
            DataPath a = t, o = DataPath.of(out, "--out");
            if (a.isInside(o)) {
                throw new UserInputException("the checkpoint directory " + a + " is inside the output directory " + o
                        + " (which is only created when the run completes): choose a --checkpoint-dir outside --out");
            }
        }
    }

    /** The sink writing the gate's state every k iterations, or null without --checkpoint-dir / --resume. */
    GateState.Sink gateSink(Map<String, Object> config) {
        if (!active()) return null;
        TrainingCheckpoint cp = TrainingCheckpoint.writer(target(), "gate", config);
        int every = checkpointEvery;
        return new GateState.Sink() {
            @Override
            public int every() { return every; }

            @Override
            public void save(GateState s) {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("nextIteration", s.nextIteration());
                state.put("w", TrainingCheckpoint.encode(s.w()));
                state.put("eta", TrainingCheckpoint.encode(new double[] {s.eta()}));
                state.put("gateState", TrainingCheckpoint.serialize(s));
                cp.write(s.nextIteration() - 1L, state);
            }
        };
    }

    /** The gate state to continue from with --resume, validated against the run's config; else null. */
    GateState gateResume(Map<String, Object> config) {
        if (resume == null) return null;
        TrainingCheckpoint.Snapshot snap = TrainingCheckpoint.read(resumeDir(), "gate", config);
        GateState s = TrainingCheckpoint.deserialize(snap.state().get("gateState"), GateState.class, "gate state");
        double[] w = TrainingCheckpoint.decode(snap.state().get("w"), "iterate w");
        if (s.nextIteration() - 1L != snap.iteration() || !java.util.Arrays.equals(w, s.w())) {
            throw new UserInputException("checkpoint in " + resume + " is inconsistent (iteration or iterate differ between its"
                    + " fields): start the run again without --resume");
        }
        System.out.printf("resuming from the checkpoint after iteration %d (%s)%n", snap.iteration(),
                resumeDir());
        return s;
    }

    /** Prefix of the row-state directories of ADMM checkpoints: DIR/rows-after-K. */
    static final String ROWS_PREFIX = "rows-after-";

    /**
     * The sink writing ADMM's state every k iterations, or null without --checkpoint-dir / --resume:
     * the row duals into a fresh DIR/rows-after-K (one file per partition, by the executors), then
     * checkpoint.json naming it (atomically), then the superseded row directories are removed --
     * except the one a resumed run started from (its data may still be read by Spark's lineage).
     */
    org.relulearn.algo.convex.AdmmState.Sink admmSink(Map<String, Object> config) {
        if (!active()) return null;
        TrainingCheckpoint cp = TrainingCheckpoint.writer(target(), "admm", config);
        int every = checkpointEvery;
        DataPath keep = resumedRows;
        return new org.relulearn.algo.convex.AdmmState.Sink() {
            @Override
            public int every() { return every; }

            @Override
            public DataPath rowStateDir(int iteration) {
                DataPath rows = cp.dir().resolve(ROWS_PREFIX + iteration);
                deleteTree(rows);   // left over from a run killed while writing it
                return rows;
            }

            @Override
            public void save(org.relulearn.algo.convex.AdmmState s, DataPath rows) {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("nextIteration", s.nextIteration());
                state.put("rowState", rows.name());
                state.put("rho", TrainingCheckpoint.encode(new double[] {s.rho()}));
                state.put("v", TrainingCheckpoint.encode(s.v()));
                state.put("admmState", TrainingCheckpoint.serialize(s));
                cp.write(s.nextIteration() - 1L, state);
                try {
                    for (DataPath old : cp.dir().list()) {
                        if (!old.name().startsWith(ROWS_PREFIX)) continue;
                        if (!old.equals(rows) && (keep == null || !old.equals(keep))) deleteTree(old);
                    }
                } catch (java.io.IOException e) {
                    System.out.println("  warning: cannot list " + cp.dir() + " to remove old row states: " + e.getMessage());
                }
            }
        };
    }

    /** The row-state directory a resumed ADMM run started from (kept until the run ends). */
    private DataPath resumedRows;

    /** The ADMM state to continue from with --resume, validated against the run's config; else null. */
    org.relulearn.algo.convex.AdmmState.Resume admmResume(Map<String, Object> config) {
        if (resume == null) return null;
        TrainingCheckpoint.Snapshot snap = TrainingCheckpoint.read(resumeDir(), "admm", config);
        var s = TrainingCheckpoint.deserialize(snap.state().get("admmState"), org.relulearn.algo.convex.AdmmState.class, "ADMM state");
        double[] v = TrainingCheckpoint.decode(snap.state().get("v"), "iterate v");
        Object name = snap.state().get("rowState");
        if (s.nextIteration() - 1L != snap.iteration() || !java.util.Arrays.equals(v, s.v()) || !(name instanceof String n)
                || !n.startsWith(ROWS_PREFIX) || n.contains("/") || n.contains("\\")) {
            throw new UserInputException("checkpoint in " + resume + " is inconsistent (iteration, iterate or row-state name differ"
                    + " between its fields): start the run again without --resume");
        }
        DataPath rows = resumeDir().resolve(n);
        boolean present;
        try {
            present = rows.isDirectory();
        } catch (java.io.IOException e) {
            throw DataPath.error("the row state " + rows, "cannot look it up", e, "check --resume and its permissions");
        }
        if (!present) {
            throw new UserInputException("the checkpoint in " + resume + " names the row state " + rows + ", which is missing: the"
                    + " checkpoint is incomplete; start the run again without --resume");
        }
        resumedRows = rows;
        System.out.printf("resuming from the checkpoint after iteration %d (%s)%n", snap.iteration(),
                resumeDir());
        return new org.relulearn.algo.convex.AdmmState.Resume(s, rows);
    }

    static void deleteTree(DataPath dir) {
        try {
            dir.delete();
        } catch (java.io.IOException e) {
            System.out.println("  warning: cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /** The sink writing tensor-gd's Phase II state every k GD iterations, or null without --checkpoint-dir / --resume. */
    org.relulearn.algo.tensorgd.DescentState.Sink descentSink(Map<String, Object> config) {
        if (!active()) return null;
        TrainingCheckpoint cp = TrainingCheckpoint.writer(target(), "tensor-gd", config);
        int every = checkpointEvery;
        return new org.relulearn.algo.tensorgd.DescentState.Sink() {
            @Override
            public int every() { return every; }

            @Override
            public void save(org.relulearn.algo.tensorgd.DescentState s) {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("nextIteration", s.nextIteration());
                state.put("w", TrainingCheckpoint.encode(s.w()));
                state.put("eta", TrainingCheckpoint.encode(new double[] {s.eta()}));
                state.put("descentState", TrainingCheckpoint.serialize(s));
                cp.write(s.nextIteration() - 1L, state);
            }
        };
    }

    /** The tensor-gd state to continue from with --resume, validated against the run's config; else null. */
    org.relulearn.algo.tensorgd.DescentState descentResume(Map<String, Object> config) {
        if (resume == null) return null;
        TrainingCheckpoint.Snapshot snap = TrainingCheckpoint.read(resumeDir(), "tensor-gd", config);
        var s = TrainingCheckpoint.deserialize(snap.state().get("descentState"), org.relulearn.algo.tensorgd.DescentState.class,
                "gradient-descent state");
        double[] w = TrainingCheckpoint.decode(snap.state().get("w"), "iterate W");
        if (s.nextIteration() - 1L != snap.iteration() || !java.util.Arrays.equals(w, s.w())) {
            throw new UserInputException("checkpoint in " + resume + " is inconsistent (iteration or iterate differ between its"
                    + " fields): start the run again without --resume");
        }
        System.out.printf("resuming from the checkpoint after GD iteration %d (%s); Phase I is not repeated%n", snap.iteration(),
                resumeDir());
        return s;
    }

    /** The sink writing the hermite polish state every k polish iterations, or null without --checkpoint-dir / --resume. */
    org.relulearn.algo.hermite.PolishState.Sink polishSink(Map<String, Object> config) {
        if (!active()) return null;
        TrainingCheckpoint cp = TrainingCheckpoint.writer(target(), "hermite", config);
        int every = checkpointEvery;
        return new org.relulearn.algo.hermite.PolishState.Sink() {
            @Override
            public int every() { return every; }

            @Override
            public void save(org.relulearn.algo.hermite.PolishState s) {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("nextIteration", s.nextIteration());
                state.put("a", TrainingCheckpoint.encode(s.current().a()));
                state.put("eta", TrainingCheckpoint.encode(new double[] {s.eta()}));
                state.put("polishState", TrainingCheckpoint.serialize(s));
                cp.write(s.nextIteration() - 1L, state);
            }
        };
    }

    /** The hermite polish state to continue from with --resume, validated against the run's config; else null. */
    org.relulearn.algo.hermite.PolishState polishResume(Map<String, Object> config) {
        if (resume == null) return null;
        TrainingCheckpoint.Snapshot snap = TrainingCheckpoint.read(resumeDir(), "hermite", config);
        var s = TrainingCheckpoint.deserialize(snap.state().get("polishState"), org.relulearn.algo.hermite.PolishState.class,
                "polish state");
        double[] a = TrainingCheckpoint.decode(snap.state().get("a"), "iterate a");
        if (s.nextIteration() - 1L != snap.iteration() || !java.util.Arrays.equals(a, s.current().a())) {
            throw new UserInputException("checkpoint in " + resume + " is inconsistent (iteration or iterate differ between its"
                    + " fields): start the run again without --resume");
        }
        System.out.printf("resuming from the checkpoint after polish iteration %d (%s); the tensor passes are not repeated%n",
                snap.iteration(), resumeDir());
        return s;
    }
}
