package org.relulearn.data;

import java.util.Arrays;

/** Independent coordinates, coordinate j drawn from {@code laws[j]}: a per-coordinate product law. */
public final class ProductDistribution implements InputDistribution {
    private static final long serialVersionUID = 1L;
    private final ScalarLaw[] laws;

    public ProductDistribution(ScalarLaw[] laws) {
        if (laws.length == 0) throw new IllegalArgumentException("a product law needs at least one coordinate");
        this.laws = laws.clone();
    }

    /** d independent copies of one law. */
    public static ProductDistribution iid(ScalarLaw law, int d) {
        Checks.atLeast("dimension", d, 1);
        ScalarLaw[] a = new ScalarLaw[d];
        Arrays.fill(a, law);
        return new ProductDistribution(a);
    }

    public int dimension() { return laws.length; }

    public ScalarLaw law(int j) { return laws[j]; }

    @Override
    public void sampleRow(CounterRng rng, double[] out, int off, double[] scratch) {
        for (int j = 0; j < laws.length; j++) out[off + j] = laws[j].sample(rng);
    }

    public double[] mean() {
        double[] m = new double[laws.length];
        for (int j = 0; j < m.length; j++) m[j] = laws[j].moment(1);
        return m;
    }

    public double[] secondMoment() {
        int d = laws.length;
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s[i * d + j] = i == j ? laws[i].moment(2) : laws[i].moment(1) * laws[j].moment(1);
            }
        }
        return s;
    }

    public double fourthMoment(int i, int j, int k, int l) {
        int[] idx = {i, j, k, l};
        Arrays.sort(idx);
        double p = 1;
        int run = 1;
        for (int t = 1; t <= 4; t++) {
            if (t < 4 && idx[t] == idx[t - 1]) {
                run++;
            } else {
                p *= laws[idx[t - 1]].moment(run);
                run = 1;
            }
        }
        return p;
    }

    public boolean symmetric() {
        for (ScalarLaw l : laws) if (!l.symmetric()) return false;
        return true;
    }

    public String describe() {
        boolean same = Arrays.stream(laws).allMatch(l -> l.equals(laws[0]));
        return same ? laws[0].describe() + "^" + laws.length : "product" + Arrays.toString(
                Arrays.stream(laws).map(ScalarLaw::describe).toArray());
    }
}
