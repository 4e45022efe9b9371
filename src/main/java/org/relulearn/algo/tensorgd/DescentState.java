package org.relulearn.algo.tensorgd;

import java.io.Serializable;
import java.util.List;

/**
 * Everything Phase II (gradient descent, {@link GradientDescent}) needs to continue after iteration
 * {@code nextIteration - 1} and reach the same W as an uninterrupted run:
 * <pre>
 *   W_t (next pass's point), eta, and the rollback point of the halving safeguard:
 *   W_{t-1}, grad L(W_{t-1}), L(W_{t-1})   (a step that raises the loss returns there with eta / 2)
 * </pre>
 * plus lambda_max, the halving count and the trace so far. Phase I is not repeated on resume: its
 * result (W^(0), v and its diagnostics) and the run's warnings up to Phase II are saved here too, so
 * the report of a resumed run equals the uninterrupted one's. (GD keeps no separate best point: the
 * rollback point is the best of the last two.)
 */
public record DescentState(int nextIteration, double[] w, double[] prevW, double[] prevGrad, double prevLoss, double eta,
                           double lambdaMax, int halvings, List<GdPoint> trace, InitResult init, List<String> warnings,
                           double phase1Seconds) implements Serializable {
    private static final long serialVersionUID = 1L;

    public DescentState {
        if (nextIteration < 1) throw new IllegalArgumentException("a checkpoint's next iteration must be >= 1, got " + nextIteration);
        w = w.clone();
        prevW = prevW == null ? null : prevW.clone();
        prevGrad = prevGrad == null ? null : prevGrad.clone();
        trace = List.copyOf(trace);
        warnings = List.copyOf(warnings);
    }

    /** Where the state goes every {@link #every()} iterations (a checkpoint directory). */
    public interface Sink {
        /** Save after every k-th iteration, k >= 1. */
        int every();

        /** Must write out (or copy) the state before returning. */
        void save(DescentState state);
    }
}
