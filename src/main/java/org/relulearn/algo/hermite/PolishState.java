package org.relulearn.algo.hermite;

import java.io.Serializable;
import java.util.List;

/**
 * Everything the polish of {@link HermiteTrainer} (heavy-ball gradient descent over (a, W, b)) needs to
 * continue after iteration {@code nextIteration - 1} and reach the same network as an uninterrupted run:
 * <pre>
 *   theta_t (next pass's point), v (velocity), eta (after halvings), the restart flag,
 *   the best point so far with its gradient and loss (a step that raises the loss returns there)
 * </pre>
 * plus the loss history and the halving count. The tensor passes are not repeated on resume: their
 * result ({@link Prefit}) is saved here too, so the report of a resumed run equals the uninterrupted one's.
 */
public record PolishState(int nextIteration, ReluNet current, ReluNet best, double[] bestGrad, double bestLoss, double eta,
                          double[] velocity, int halvings, boolean restarted, double[] losses, Prefit prefit) implements Serializable {
    private static final long serialVersionUID = 1L;

    public PolishState {
        if (nextIteration < 1) throw new IllegalArgumentException("a checkpoint's next polish iteration must be >= 1, got " + nextIteration);
        if (losses.length != nextIteration - 1) {
            throw new IllegalArgumentException("a polish checkpoint holds " + losses.length + " losses for " + (nextIteration - 1) + " iterations");
        }
        bestGrad = bestGrad == null ? null : bestGrad.clone();
        velocity = velocity.clone();
        losses = losses.clone();
    }

    /**
     * The outcome of the tensor passes (statistics, order 2, contractions, coefficients, affine fit):
     * all the final report needs from them, and the polish's starting network {@code start}.
     *
     * @param varY     label variance (the training relative error is 2 loss / varY)
     * @param seconds  wall times of the passes before the polish (the layout of {@link HermiteResult#seconds()})
     * @param messages notes and warnings up to the polish
     */
    public record Prefit(int d, long n, int units, int visibleUnits, double threshold, double[] eigenvalues, ReluNet tensorOnlyNet,
                         ReluNet start, double[][] coefficients, double[][] standardErrors, List<UnitCoefficientFit> unitFits,
                         double jennrichScore, double jennrichImagRatio, double directionCondition, double varY, double[] seconds,
                         List<String> messages) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Prefit {
            unitFits = List.copyOf(unitFits);
            messages = List.copyOf(messages);
        }
    }

    /** Where the state goes every {@link #every()} polish iterations (a checkpoint directory). */
    public interface Sink {
        /** Save after every k-th iteration, k >= 1. */
        int every();

        /** Must write out (or copy) the state before returning. */
        void save(PolishState state);
    }
}
