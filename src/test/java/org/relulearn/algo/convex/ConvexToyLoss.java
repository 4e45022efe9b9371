package org.relulearn.algo.convex;

import org.relulearn.data.OneHiddenLayerNetwork;

/** The non-convex objective 1/2 ||f(X) - y||^2 + (beta/2) sum (||theta||^2 + b^2 + alpha^2) of a network on the toy. */
final class ConvexToyLoss {
    private ConvexToyLoss() {}

    static double networkObjective(OneHiddenLayerNetwork net, double[][] xy, double beta) {
        double[] f = ConvexToy.networkPredictions(net, xy[0]);
        double loss = 0;
        for (int r = 0; r < f.length; r++) loss += 0.5 * (f[r] - xy[1][r]) * (f[r] - xy[1][r]);
        return loss + NetworkMapping.weightDecay(net, beta);
    }
}
