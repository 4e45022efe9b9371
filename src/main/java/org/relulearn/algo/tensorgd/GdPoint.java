package org.relulearn.algo.tensorgd;

import java.io.Serializable;

/**
 * One GD iteration's record: t, the loss L(W_t) = (1/2n) sum r_i^2, the step size used from W_t, the
 * relative step ||W_{t+1} - W_t||_F / ||W_t||_F, and (with a known truth) the matched error of W_t.
 */
public record GdPoint(int t, double loss, double eta, double relativeStep, double matchedError) implements Serializable {}
