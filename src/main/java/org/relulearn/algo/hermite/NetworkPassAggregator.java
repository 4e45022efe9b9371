package org.relulearn.algo.hermite;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Blas;

/**
 * One pass over the data for a given network f (the polish, the affine fit and the evaluation):
 * with h_i = w_i.x + b_i and r = f(x) - y,
 * <pre>
 *   sum r, sum r^2, sum y, sum y^2, sum r x                          (loss, affine fit of the residual)
 *   sum r relu(h_i),  sum r a_i 1[h_i > 0],  sum r a_i 1[h_i > 0] x   (gradients of (1/2n) sum r^2 in a, b, W)
 * </pre>
 * Per block: H = W X + b 1^T and grad W = E^T X (E_ri = r a_i 1[h_ri > 0]) are gemms.
 */
public final class NetworkPassAggregator extends SummingAggregator<NetworkPassAggregator> {
    private static final long serialVersionUID = 1L;

    private final Shared<ReluNet> net;
    private final int d;
    private final int units;
    private final CompensatedSum scalars = sums(4);
    private final CompensatedSum rx;
    private final CompensatedSum grads;      // a (units), b (units), W (column-major d x units = row-major units x d)
    private transient double[] h, e, rr, gw, g, rxb;

    public NetworkPassAggregator(Shared<ReluNet> net) {
        this.net = net;
        this.d = net.value().d();
        this.units = net.value().units();
        this.rx = sums(d);
        this.grads = sums(2 * units + units * d);
    }

    @Override
    protected void addRows(Block blk) {
        int rows = blk.rows();
        if (rows == 0) return;
        if (h == null || rr.length < rows) {
            h = new double[rows * units];
            e = new double[rows * units];
            rr = new double[rows];
            gw = new double[units * d];
            g = new double[2 * units];
            rxb = new double[d];
        }
        ReluNet f = net.value();
        double[] x = blk.x(), y = blk.y(), a = f.a(), b = f.b();
        // H (units x rows, column-major) = W X^T; row-major W (units x d) is column-major W^T.
        Blas.native3().dgemm("T", "N", units, rows, d, 1.0, f.w(), d, x, d, 0.0, h, units);
        java.util.Arrays.fill(g, 0);
        double sr = 0, srr = 0, sy = 0, syy = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            double fx = 0;
            for (int i = 0; i < units; i++) {
                double v = h[o + i] + b[i];
                h[o + i] = v > 0 ? v : 0;
                fx += a[i] * h[o + i];
            }
            double res = fx - y[r];
            rr[r] = res;
            sr += res;
            srr += res * res;
            sy += y[r];
            syy += y[r] * y[r];
            for (int i = 0; i < units; i++) {
                double act = h[o + i];
                g[i] += res * act;
                double ei = act > 0 ? res * a[i] : 0;
                e[o + i] = ei;
                g[units + i] += ei;
            }
        }
        // grad W (d x units, column-major) = X^T E^T.
        Blas.native3().dgemm("N", "T", d, units, rows, 1.0, x, d, e, units, 0.0, gw, d);
        Blas.native3().dgemv("N", d, rows, 1.0, x, d, rr, 1, 0.0, rxb, 1);
        grads.add(g, 0, 2 * units);
        addFrom(grads, 2 * units, gw);
        rx.add(rxb);
        scalars.add(0, sr);
        scalars.add(1, srr);
        scalars.add(2, sy);
        scalars.add(3, syy);
    }

    private static void addFrom(CompensatedSum s, int offset, double[] v) {
        for (int i = 0; i < v.length; i++) s.add(offset + i, v[i]);
    }

    /** The loss (1/2n) sum (f(x) - y)^2. */
    public double loss() { return 0.5 * scalars.value()[1] / count(); }

    /** mean (f(x) - y)^2. */
    public double meanSquaredError() { return scalars.value()[1] / count(); }

    /** mean (f - y)^2 / var(y) (infinite when y is constant). */
    public double relativeError() {
        double[] s = scalars.value();
        double var = s[3] / count() - (s[2] / count()) * (s[2] / count());
        return (s[1] / count()) / var;
    }

    /** mean(y - f) (the affine fit's right side, constant). */
    public double meanResidual() { return -scalars.value()[0] / count(); }

    /** mean((y - f) x) (the affine fit's right side, linear part). */
    public double[] meanResidualX() {
        double[] v = rx.value();
        for (int j = 0; j < d; j++) v[j] = -v[j] / count();
        return v;
    }

    /** The gradient of the loss: [d/da (units), d/db (units), d/dW (row-major units x d)]. */
    public double[] gradient() {
        double[] v = grads.value();
        for (int i = 0; i < v.length; i++) v[i] /= count();
        return v;
    }
}
