package org.relulearn.algo.convex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.InMemoryData;

/**
 * The reference toy of docs/convex.md (Deviations), rebuilt: n = 20 Gaussian points in R^2, a bias column
 * (d' = 3), targets from a 2-neuron ReLU teacher plus noise, beta = 0.1. (The reference run's random
 * draw is not available, so its 0.3137573 cannot be matched; the tests certify optimality instead.)
 */
final class ConvexToy {
    private ConvexToy() {}

    static final int N = 20;

    /** Row-major n x 2 features and targets. */
    static double[][] data(long seed) {
        CounterRng rng = new CounterRng(seed, 7, 0);
        double[] x = new double[N * 2], y = new double[N];
        double[][] w = {{1.0, -0.5, 0.2}, {-0.7, 0.8, -0.1}};
        double[] a = {1.0, -1.2};
        for (int r = 0; r < N; r++) {
            x[2 * r] = rng.nextGaussian();
            x[2 * r + 1] = rng.nextGaussian();
            double f = 0;
            for (int j = 0; j < 2; j++) f += a[j] * Math.max(0, w[j][0] * x[2 * r] + w[j][1] * x[2 * r + 1] + w[j][2]);
            y[r] = f + 0.1 * rng.nextGaussian();
        }
        return new double[][] {x, y};
    }

    /** The data in {@code blocks} blocks. */
    static InMemoryData inMemory(double[][] xy, int blocks) {
        List<Block> out = new ArrayList<>();
        int per = (N + blocks - 1) / blocks;
        for (int from = 0; from < N; from += per) {
            int rows = Math.min(per, N - from);
            double[] x = new double[rows * 2], y = new double[rows];
            System.arraycopy(xy[0], from * 2, x, 0, rows * 2);
            System.arraycopy(xy[1], from, y, 0, rows);
            out.add(Block.wrap(2, 1, rows, from, x, y));
        }
        return new InMemoryData(2, 1, out);
    }

    /**
     * Every activation pattern of the rows (x_r, 1) in R^3: each cell of the central arrangement of
     * the planes x_r . h = 0 touches a ray where two planes meet, so the gates
     * +-(x_r x x_s) + eps (+-a +- b), with a . x_r = 1, a . x_s = 0, b . x_r = 0, b . x_s = 1, reach
     * every cell. Returns one gate per distinct pattern (row-major P x 3), the all-zero one included.
     */
    static double[] allPatternGates(double[] x2) {
        int n = x2.length / 2;
        double[][] x = new double[n][];
        for (int r = 0; r < n; r++) x[r] = new double[] {x2[2 * r], x2[2 * r + 1], 1};
        Map<String, double[]> byPattern = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) {
            for (int s = r + 1; s < n; s++) {
                double[] c = cross(x[r], x[s]);
                double cn = Math.sqrt(dot(c, c));
                for (int i = 0; i < 3; i++) c[i] /= cn;
                // a, b in span(x_r, x_s) with the dual-basis property.
                double rr = dot(x[r], x[r]), ss = dot(x[s], x[s]), rs = dot(x[r], x[s]), det = rr * ss - rs * rs;
                double[] a = new double[3], b = new double[3];
                for (int i = 0; i < 3; i++) {
                    a[i] = (ss * x[r][i] - rs * x[s][i]) / det;
                    b[i] = (rr * x[s][i] - rs * x[r][i]) / det;
                }
                for (int sc = -1; sc <= 1; sc += 2) {
                    for (int sa = -1; sa <= 1; sa += 2) {
                        for (int sb = -1; sb <= 1; sb += 2) {
                            double[] h = new double[3];
                            for (int i = 0; i < 3; i++) h[i] = sc * c[i] + 1e-7 * (sa * a[i] + sb * b[i]);
                            StringBuilder key = new StringBuilder();
                            for (int t = 0; t < n; t++) key.append(dot(x[t], h) >= 0 ? '1' : '0');
                            byPattern.putIfAbsent(key.toString(), h);
                        }
                    }
                }
            }
        }
        double[] out = new double[byPattern.size() * 3];
        int k = 0;
        for (double[] h : byPattern.values()) System.arraycopy(h, 0, out, 3 * k++, 3);
        return out;
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Convex predictions sum_i d_ri x_r . (v_i - w_i) of a solution. */
    static double[] convexPredictions(ConvexResult res, double[] x2) {
        int n = x2.length / 2, p = res.patterns(), dp = res.dp();
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            double[] x = {x2[2 * r], x2[2 * r + 1], 1};
            for (int i = 0; i < p; i++) {
                double gx = 0, vx = 0;
                for (int j = 0; j < dp; j++) {
                    gx += res.gates()[i * dp + j] * x[j];
                    vx += (res.groups()[i * dp + j] - res.groups()[(p + i) * dp + j]) * x[j];
                }
                if (gx >= 0) out[r] += vx;
            }
        }
        return out;
    }

    /** The network's predictions. */
    static double[] networkPredictions(org.relulearn.data.OneHiddenLayerNetwork net, double[] x2) {
        int n = x2.length / 2;
        double[] out = new double[n];
        double[] w = net.weights(), b = net.biases(), a = net.outputWeights();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < net.hiddenUnits(); j++) {
                out[r] += a[j] * Math.max(0, w[2 * j] * x2[2 * r] + w[2 * j + 1] * x2[2 * r + 1] + b[j]);
            }
        }
        return out;
    }
}
