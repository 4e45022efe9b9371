package org.relulearn.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.relulearn.algo.gate.GateState;
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
                    + " Keep DIR outside --out.")
    public Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "100",
            description = "Iterations between checkpoints. Default: ${DEFAULT-VALUE}.")
    public int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run whose --checkpoint-dir was DIR from its last checkpoint (same options as that run);"
                    + " further checkpoints go to DIR too unless --checkpoint-dir is given.")
    public Path resume;

    public boolean active() { return checkpointDir != null || resume != null; }

    /** The directory checkpoints are written to (null = none). */
    Path target() { return checkpointDir != null ? checkpointDir : resume; }

    void validate(Path out) {
        if (checkpointEvery < 1) {
            throw new UserInputException("--checkpoint-every must be >= 1 iteration, got " + checkpointEvery);
        }
        Path t = target();
        if (t != null && out != null) {
            Path a = t.toAbsolutePath().normalize(), o = out.toAbsolutePath().normalize();
            if (a.startsWith(o)) {
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
        TrainingCheckpoint.Snapshot snap = TrainingCheckpoint.read(resume, "gate", config);
        GateState s = TrainingCheckpoint.deserialize(snap.state().get("gateState"), GateState.class, "gate state");
        double[] w = TrainingCheckpoint.decode(snap.state().get("w"), "iterate w");
        if (s.nextIteration() - 1L != snap.iteration() || !java.util.Arrays.equals(w, s.w())) {
            throw new UserInputException("checkpoint in " + resume + " is inconsistent (iteration or iterate differ between its"
                    + " fields): start the run again without --resume");
        }
        System.out.printf("resuming from the checkpoint after iteration %d (%s)%n", snap.iteration(),
                resume.toAbsolutePath().normalize());
        return s;
    }
}
