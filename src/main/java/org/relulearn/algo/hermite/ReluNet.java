package org.relulearn.algo.hermite;

import java.io.Serializable;

/**
 * A scalar-output one-hidden-layer ReLU network f(x) = sum_i a_i relu(w_i.x + b_i) as plain arrays
 * (W row-major units x d), shipped to the workers by the polish and evaluation passes.
 */
public record ReluNet(int d, int units, double[] w, double[] b, double[] a) implements Serializable {
    public ReluNet {
        if (w.length != units * d || b.length != units || a.length != units) {
            throw new IllegalArgumentException("network arrays do not match units=" + units + ", d=" + d);
        }
    }

    /** The network with unit-norm rows (a_i |w_i|, b_i / |w_i|; rows with w_i = 0 are kept as they are). */
    public ReluNet canonical() {
        double[] w2 = w.clone(), b2 = b.clone(), a2 = a.clone();
        for (int i = 0; i < units; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += w[i * d + j] * w[i * d + j];
            s = Math.sqrt(s);
            if (s == 0) continue;
            for (int j = 0; j < d; j++) w2[i * d + j] /= s;
            b2[i] /= s;
            a2[i] *= s;
        }
        return new ReluNet(d, units, w2, b2, a2);
    }

    /** This network followed by {@code other}'s units (same d). */
    public ReluNet concat(ReluNet other) {
        if (other.d != d) throw new IllegalArgumentException("cannot join networks of dimensions " + d + " and " + other.d);
        int u = units + other.units;
        double[] w2 = new double[u * d], b2 = new double[u], a2 = new double[u];
        System.arraycopy(w, 0, w2, 0, w.length);
        System.arraycopy(other.w, 0, w2, w.length, other.w.length);
        System.arraycopy(b, 0, b2, 0, units);
        System.arraycopy(other.b, 0, b2, units, other.units);
        System.arraycopy(a, 0, a2, 0, units);
        System.arraycopy(other.a, 0, a2, units, other.units);
        return new ReluNet(d, u, w2, b2, a2);
    }

    /** f(x) for one input (driver-side checks and tests). */
    public double apply(double[] x) {
        double f = 0;
        for (int i = 0; i < units; i++) {
            double h = b[i];
            for (int j = 0; j < d; j++) h += w[i * d + j] * x[j];
            if (h > 0) f += a[i] * h;
        }
        return f;
    }

    /**
     * The affine function c + beta.x written as ReLU units (docs/hermite.md, Algorithm, affine fit):
     * beta.x = |beta| relu(bhat.x) - |beta| relu(-bhat.x) (two units), c = relu(c) for c > 0 or
     * -relu(-c) (one unit with w = 0). Zero parts are omitted.
     */
    public static ReluNet affine(double c, double[] beta) {
        int d = beta.length;
        double nb = 0;
        for (double v : beta) nb += v * v;
        nb = Math.sqrt(nb);
        int u = (nb > 0 ? 2 : 0) + (c != 0 ? 1 : 0);
        double[] w = new double[u * d], b = new double[u], a = new double[u];
        int at = 0;
        if (nb > 0) {
            for (int j = 0; j < d; j++) {
                w[j] = beta[j] / nb;
                w[d + j] = -beta[j] / nb;
            }
            a[0] = nb;
            a[1] = -nb;
            at = 2;
        }
        if (c != 0) {
            b[at] = Math.abs(c);
            a[at] = Math.signum(c);
        }
        return new ReluNet(d, u, w, b, a);
    }
}
