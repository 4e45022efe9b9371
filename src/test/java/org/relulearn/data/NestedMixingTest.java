package org.relulearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** x = M2 (M1 z): a mixing of a mixing draws the same rows as the product mixing, with caller scratch only. */
class NestedMixingTest {
    @Test
    void nestedMixingEqualsTheProductMixing() {
        double[] m1 = {1, 2, 0, -1, 0.5, 3};            // 2 x 3
        double[] m2 = {1, 0, 2, 1, -1, 0.25};           // 3 x 2
        InputDistribution z = ProductDistribution.iid(new ScalarLaw.Laplace(1), 3);
        InputDistribution inner = new LinearMixing(m1, 2, z);
        InputDistribution nested = new LinearMixing(m2, 3, inner);
        InputDistribution product = new LinearMixing(org.relulearn.linalg.Dense.multiply(m2, 3, 2, m1, 3), 3, z);
        double[] a = new double[3], b = new double[3];
        double[] sa = new double[nested.scratchSize()], sb = new double[product.scratchSize()];
        CounterRng rng = new CounterRng();
        for (int r = 0; r < 1000; r++) {
            nested.sampleRow(rng.reset(1, 2, r), a, 0, sa);
            product.sampleRow(rng.reset(1, 2, r), b, 0, sb);
            for (int j = 0; j < 3; j++) assertEquals(b[j], a[j], 1e-12 * (1 + Math.abs(b[j])), "row " + r);
        }
        assertEquals(5, nested.scratchSize(), "base scratch (3 for z of the inner) + 2 for the inner's output");
    }
}
