package org.relulearn.algo.convex;

import org.relulearn.data.OneHiddenLayerNetwork;

/**
 * Maps a convex solution to ReLU weights (docs/convex.md, Model): for every nonzero v_i one neuron
 * theta = v_i / sqrt||v_i||, alpha = +sqrt||v_i||; for every nonzero w_i one neuron
 * theta = w_i / sqrt||w_i||, alpha = -sqrt||w_i||. Then (x . theta)_+ alpha = (x . v_i)_+ (with sign),
 * and (beta/2)(||theta||^2 + alpha^2) = beta ||v_i||, so predictions on rows inside the cones and the
 * objective equal the convex ones. A bias coordinate (the last of d') becomes the neuron's bias.
 */
public final class NetworkMapping {
    private NetworkMapping() {}

    public static int active(double[] groups, int dp) {
        int k = 0;
        for (int g = 0; g < groups.length / dp; g++) if (groupNorm(groups, g, dp) > 0) k++;
        return k;
    }

    public static double groupNorm(double[] a, int g, int dp) {
        double s = 0;
        for (int j = 0; j < dp; j++) s += a[g * dp + j] * a[g * dp + j];
        return Math.sqrt(s);
    }

    /** The network with one neuron per nonzero group (one zero neuron when all are zero). */
    public static OneHiddenLayerNetwork toNetwork(double[] groups, int p, int d, boolean bias) {
        int dp = ConvexFeatures.columns(d, bias);
        int k = Math.max(1, active(groups, dp));
        double[] w = new double[k * d], b = new double[k], a = new double[k];
        int j = 0;
        for (int g = 0; g < 2 * p; g++) {
            double norm = groupNorm(groups, g, dp);
            if (norm == 0) continue;
            double root = Math.sqrt(norm);
            for (int c = 0; c < d; c++) w[j * d + c] = groups[g * dp + c] / root;
            if (bias) b[j] = groups[g * dp + d] / root;
            a[j] = g < p ? root : -root;
            j++;
        }
        return new OneHiddenLayerNetwork(d, k, 1, w, b, a);
    }

    /** The network's weight decay (beta/2) sum_j (||theta_j||^2 + b_j^2 + alpha_j^2), bias included as in the convex program. */
    public static double weightDecay(OneHiddenLayerNetwork net, double beta) {
        double s = 0;
        for (double v : net.weights()) s += v * v;
        for (double v : net.biases()) s += v * v;
        for (double v : net.outputWeights()) s += v * v;
        return beta / 2 * s;
    }
}
