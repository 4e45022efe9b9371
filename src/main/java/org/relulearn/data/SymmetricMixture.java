package org.relulearn.data;

/**
 * The symmetric Gaussian mixture x = s mu + sigma z, s = +-1 with equal probability, z ~ N(0, I).
 * E[x] = 0, E[x x^T] = mu mu^T + sigma^2 I, and the fourth moment is that of a Gaussian with a
 * rank-one random mean: mu_i mu_j mu_k mu_l + sigma^2 (six pairings of mu mu delta) + sigma^4 (three
 * pairings of delta delta).
 */
public final class SymmetricMixture implements InputDistribution {
    private static final long serialVersionUID = 1L;
    private final double[] mu;
    private final double sigma;

    public SymmetricMixture(double[] mu, double sigma) {
        if (mu.length == 0) throw new IllegalArgumentException("mixture centre must have dimension >= 1");
        this.mu = Checks.allFinite("mu", mu.clone());
        this.sigma = Checks.positive("sigma", sigma);
    }

    public int dimension() { return mu.length; }
    public double[] centre() { return mu.clone(); }
    public double sigma() { return sigma; }

    @Override
    public void sampleRow(CounterRng rng, double[] out, int off, double[] scratch) {
        double s = rng.nextSign();
        for (int j = 0; j < mu.length; j++) out[off + j] = s * mu[j] + sigma * rng.nextGaussian();
    }

    public double[] mean() { return new double[mu.length]; }

    public double[] secondMoment() { return mixtureSecondMoment(mu, sigma); }

    public double fourthMoment(int i, int j, int k, int l) { return mixtureFourthMoment(mu, sigma, i, j, k, l); }

    static double[] mixtureSecondMoment(double[] mu, double sigma) {
        int d = mu.length;
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) s[i * d + j] = mu[i] * mu[j] + (i == j ? sigma * sigma : 0);
        }
        return s;
    }

    static double mixtureFourthMoment(double[] mu, double sigma, int i, int j, int k, int l) {
        double s2 = sigma * sigma;
        double pairs = delta(i, j) * mu[k] * mu[l] + delta(i, k) * mu[j] * mu[l] + delta(i, l) * mu[j] * mu[k]
                + delta(j, k) * mu[i] * mu[l] + delta(j, l) * mu[i] * mu[k] + delta(k, l) * mu[i] * mu[j];
        double gauss = delta(i, j) * delta(k, l) + delta(i, k) * delta(j, l) + delta(i, l) * delta(j, k);
        return mu[i] * mu[j] * mu[k] * mu[l] + s2 * pairs + s2 * s2 * gauss;
    }

    private static double delta(int a, int b) { return a == b ? 1 : 0; }

    public boolean symmetric() { return true; }

    public String describe() { return "mixture(+-mu, sigma=" + sigma + ", d=" + mu.length + ")"; }
}
