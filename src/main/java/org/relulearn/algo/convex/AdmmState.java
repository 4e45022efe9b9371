package org.relulearn.algo.convex;

import java.io.Serializable;
import org.relulearn.fs.DataPath;
import java.util.List;

/**
 * The driver's part of an ADMM run's state after iteration {@code nextIteration - 1}: with the
 * per-row duals nu (and the hinge split's mu) -- saved separately, one file per partition, by
 * {@link org.relulearn.engine.PassRunner#saveState} -- it is everything the iteration
 * <pre>
 *   b = c sign F^T t + tau (v - lambda) + G^T s - G^T nu;  u = A^{-1} b;  v' = prox(u + lambda);
 *   pass: s', nu' (rows), G^T s', G^T nu', F^T t';  lambda' = lambda + gamma (u - v')
 * </pre>
 * reads, so a resumed run continues with bit-identical arithmetic:
 * v, lambda, G^T s, G^T nu (the sums of the last pass), the working target F^T t (non-squared
 * losses), rho (and tau rho, c) after any rebalancing, the pending state scale of a rho change, the
 * CG route's warm start, the counters and the history so far. u is not saved: it is recomputed from
 * these. The gates are not saved either: they are a function of the options and the data (pattern
 * pass, deterministic), and {@code patterns} lets a resume check that it found the same P.
 *
 * <p>Why the row duals are saved rather than rebuilt: nu^{k+1} = nu^k + gamma (Gu^{k+1} - s^{k+1})
 * depends on every u^1..u^{k+1}, so rebuilding it would mean keeping all iterates and replaying
 * k row updates; one n x 2P file set per checkpoint is smaller and exact.
 */
public record AdmmState(int nextIteration, int patterns, double[] v, double[] lambda, double[] gts, double[] gtnu,
                        double[] ftTarget, double rho, double rho1, double c, double stateScale, int rhoChanges, long passes,
                        long solverPasses, double[] cgWarmStart, List<ConvexResult.Iteration> history)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public AdmmState {
        if (nextIteration < 2) throw new IllegalArgumentException("an ADMM checkpoint's next iteration must be >= 2, got " + nextIteration);
        // copies: the trainer goes on updating lambda in place
        v = v.clone();
        lambda = lambda.clone();
        gts = gts.clone();
        gtnu = gtnu.clone();
        ftTarget = ftTarget.clone();
        cgWarmStart = cgWarmStart == null ? null : cgWarmStart.clone();
        history = List.copyOf(history);
    }

    /** Where ADMM's state goes every {@link #every()} iterations (a checkpoint directory). */
    public interface Sink {
        /** Save after every k-th iteration, k >= 1. */
        int every();

        /** A fresh directory for the row states after {@code iteration} (written before {@link #save}). */
        DataPath rowStateDir(int iteration);

        /** Records the driver state, whose row states are in {@code rowStateDir(nextIteration - 1)}. */
        void save(AdmmState state, DataPath rowStateDir);
    }

    /** A run to continue: the driver state and the directory of its row states. */
    public record Resume(AdmmState state, DataPath rowStateDir) {}
}
