package org.relulearn.data;

/**
 * x = M z for a base law z in R^p and a d x p matrix M (row-major). A Gaussian with covariance C
 * is {@code LinearMixing(chol(C), N(0, I))}. Moments follow by multilinearity:
 * E[x] = M E[z], E[x x^T] = M E[z z^T] M^T, E[x_i x_j x_k x_l] = sum M_ia M_jb M_kc M_le E[z_a z_b z_c z_e].
 */
public final class LinearMixing implements InputDistribution {
    private static final long serialVersionUID = 1L;
    private final double[] mix;
    private final int d;
    private final InputDistribution base;

    public LinearMixing(double[] mix, int d, InputDistribution base) {
        int p = base.dimension();
        if (mix.length != d * p) {
            throw new IllegalArgumentException("mixing matrix must be " + d + " x " + p + ", got " + mix.length + " entries");
        }
        this.mix = Checks.allFinite("mixing matrix", mix.clone());
        this.d = d;
        this.base = base;
    }

    public int dimension() { return d; }
    public InputDistribution base() { return base; }
    public double[] mixingMatrix() { return mix.clone(); }

    @Override
    public int scratchSize() { return base.scratchSize() + base.dimension(); }

    /** Scratch layout: [the base's own scratch | z]; the base writes z after its own region. */
    @Override
    public void sampleRow(CounterRng rng, double[] out, int off, double[] scratch) {
        int p = base.dimension(), zOff = base.scratchSize();
        base.sampleRow(rng, scratch, zOff, scratch);
        for (int i = 0; i < d; i++) {
            double s = 0;
            int row = i * p;
            for (int a = 0; a < p; a++) s += mix[row + a] * scratch[zOff + a];
            out[off + i] = s;
        }
    }

    public double[] mean() {
        int p = base.dimension();
        double[] mz = base.mean(), m = new double[d];
        for (int i = 0; i < d; i++) for (int a = 0; a < p; a++) m[i] += mix[i * p + a] * mz[a];
        return m;
    }

    public double[] secondMoment() {
        int p = base.dimension();
        double[] sz = base.secondMoment(), t = new double[d * p], s = new double[d * d];
        for (int i = 0; i < d; i++) for (int b = 0; b < p; b++) {
            double acc = 0;
            for (int a = 0; a < p; a++) acc += mix[i * p + a] * sz[a * p + b];
            t[i * p + b] = acc;
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
            double acc = 0;
            for (int b = 0; b < p; b++) acc += t[i * p + b] * mix[j * p + b];
            s[i * d + j] = acc;
        }
        return s;
    }

    public double fourthMoment(int i, int j, int k, int l) {
        int p = base.dimension();
        double s = 0;
        for (int a = 0; a < p; a++) {
            double ma = mix[i * p + a];
            if (ma == 0) continue;
            for (int b = 0; b < p; b++) {
                double mb = ma * mix[j * p + b];
                if (mb == 0) continue;
                for (int c = 0; c < p; c++) {
                    double mc = mb * mix[k * p + c];
                    if (mc == 0) continue;
                    for (int e = 0; e < p; e++) {
                        double me = mc * mix[l * p + e];
                        if (me != 0) s += me * base.fourthMoment(a, b, c, e);
                    }
                }
            }
        }
        return s;
    }

    public boolean symmetric() { return base.symmetric(); }

    public String describe() { return "M*" + base.describe() + " (M " + d + "x" + base.dimension() + ")"; }
}
