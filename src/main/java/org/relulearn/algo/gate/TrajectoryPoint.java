package org.relulearn.algo.gate;

import java.io.Serializable;

/**
 * One recorded point of a gate run, after iteration t.
 *
 * @param error    ||w_t - w*|| when the truth is known, else NaN
 * @param loss     mean squared residual of the iterates on their fresh mini-batches over the last window
 *                 (each batch is independent of the iterate it is evaluated at: a held-out loss estimate)
 * @param stepNorm mean ||w_{t+1} - w_t|| over the last window
 */
public record TrajectoryPoint(int t, double error, double loss, double stepNorm) implements Serializable {
}
