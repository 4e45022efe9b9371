package org.relulearn.algo.gate;

import java.io.Serializable;
import java.util.List;

/**
 * Everything a gate run needs to continue after iteration {@code nextIteration - 1} and reach the
 * same final model as an uninterrupted run: the iterate w, the step size and the pilot statistics it
 * came from (so the pilot pass is not repeated, whose sums could round differently), the pilot's
 * warnings, and the recorder (trajectory so far, convergence window, tail average). Nothing else is
 * needed: iteration t's mini-batch is rows [0, b) of stream s + t (or draw t under the seed for
 * file input) and an online adversary sees only (t, w_t), so the samples of iterations
 * t >= nextIteration are functions of the state saved here.
 */
public record GateState(int nextIteration, double[] w, double eta, PilotStatistics pilot, List<String> warnings,
                        GateRecorder recorder) implements Serializable {
    private static final long serialVersionUID = 1L;

    public GateState {
        if (nextIteration < 1) throw new IllegalArgumentException("a checkpoint's next iteration must be >= 1, got " + nextIteration);
        w = w.clone();
        warnings = List.copyOf(warnings);
    }

    /** Where training state goes every {@link #every()} iterations (e.g. a checkpoint directory). */
    public interface Sink {
        /** Save after every k-th iteration, k >= 1. */
        int every();

        /**
         * Must write out (or deep-copy) the state before returning: the trainer goes on mutating
         * the recorder it holds.
         */
        void save(GateState state);
    }
}
