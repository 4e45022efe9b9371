package org.relulearn.data;

/**
 * XOR clusters for classification: with probability 1/2 the class is +1 and x = s mu1 + sigma z,
 * otherwise the class is -1 and x = s mu2 + sigma z, with s = +-1 and z ~ N(0, I). No linear
 * classifier separates the classes; a two-layer ReLU network does. The class is the label.
 */
public final class XorClusters implements InputDistribution {
    private static final long serialVersionUID = 1L;
    private final double[] mu1;
    private final double[] mu2;
    private final double sigma;

    public XorClusters(double[] mu1, double[] mu2, double sigma) {
        if (mu1.length != mu2.length || mu1.length == 0) {
            throw new IllegalArgumentException("XOR cluster centres must have the same dimension >= 1, got "
                    + mu1.length + " and " + mu2.length);
        }
        this.mu1 = Checks.allFinite("mu1", mu1.clone());
        this.mu2 = Checks.allFinite("mu2", mu2.clone());
        this.sigma = Checks.positive("sigma", sigma);
    }

    /** The usual layout: mu1 = r e_1, mu2 = r e_2 in R^d. */
    public static XorClusters standard(int d, double r, double sigma) {
        Checks.atLeast("dimension", d, 2);
        double[] a = new double[d], b = new double[d];
        a[0] = r;
        b[1] = r;
        return new XorClusters(a, b, sigma);
    }

    public int dimension() { return mu1.length; }

    @Override
    public void sampleRow(CounterRng rng, double[] out, int off, double[] scratch) {
        sampleWithClass(rng, out, off);
    }

    /** Draws a sample and returns its class, +1 or -1. */
    public double sampleWithClass(CounterRng rng, double[] out, int off) {
        double cls = rng.nextSign();
        double[] mu = cls > 0 ? mu1 : mu2;
        double s = rng.nextSign();
        for (int j = 0; j < mu.length; j++) out[off + j] = s * mu[j] + sigma * rng.nextGaussian();
        return cls;
    }

    public double[] mean() { return new double[mu1.length]; }

    public double[] secondMoment() {
        double[] a = SymmetricMixture.mixtureSecondMoment(mu1, sigma);
        double[] b = SymmetricMixture.mixtureSecondMoment(mu2, sigma);
        for (int i = 0; i < a.length; i++) a[i] = 0.5 * (a[i] + b[i]);
        return a;
    }

    public double fourthMoment(int i, int j, int k, int l) {
        return 0.5 * (SymmetricMixture.mixtureFourthMoment(mu1, sigma, i, j, k, l)
                + SymmetricMixture.mixtureFourthMoment(mu2, sigma, i, j, k, l));
    }

    public boolean symmetric() { return true; }

    public String describe() { return "xor-clusters(d=" + mu1.length + ", sigma=" + sigma + ")"; }
}
