package org.relulearn.algo.tensorgd;

import java.util.List;

/**
 * The fit: W (row-major K x d), the output weights v, the initialisation, the GD run (null with
 * init-only), errors against a known truth (NaN without), warnings, and wall time per phase.
 *
 * @param initError   matched error of W^(0)
 * @param finalError  matched error of W
 * @param finalLoss   L(W) = (1/2n) sum r^2 on the training rows
 * @param seconds     {Phase I, Phase II}
 */
public record TensorGdResult(int k, int d, long n, double[] w, double[] v, InitResult init, GradientDescent.Result gd, double initError,
                             double finalError, double finalLoss, List<String> warnings, double[] seconds) {}
