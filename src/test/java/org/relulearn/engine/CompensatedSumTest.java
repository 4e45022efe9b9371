package org.relulearn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Compensated summation against naive summation, with exact references in BigDecimal. */
class CompensatedSumTest {

    /**
     * 10^8 additions of 0.1 in blocks of 1,000, the way aggregators add one partial sum per block:
     * 10^5 block totals (each the naive sum of its 1,000 values, 99.9999999999986) are added into a
     * running total that grows to 10^7, where every naive addition rounds. The reference is the
     * exact sum of the block totals.
     */
    @Test
    void beatsNaiveSummationOverManyBlocks() {
        double blockTotal = 0;
        for (int i = 0; i < 1000; i++) blockTotal += 0.1;
        int blocks = 100_000;
        CompensatedSum comp = new CompensatedSum(1);
        double naive = 0;
        for (int b = 0; b < blocks; b++) {
            comp.add(0, blockTotal);
            naive += blockTotal;
        }
        BigDecimal exact = new BigDecimal(blockTotal).multiply(BigDecimal.valueOf(blocks));
        double compError = Math.abs(new BigDecimal(comp.value()[0]).subtract(exact).doubleValue());
        double naiveError = Math.abs(new BigDecimal(naive).subtract(exact).doubleValue());
        double ulp = Math.ulp(exact.doubleValue());
        assertTrue(compError <= ulp, "compensated error " + compError + " > 1 ulp " + ulp);
        assertTrue(naiveError > 30 * ulp, "naive error " + naiveError + " (the sequence is not adversarial enough)");
    }

    /** 10^7 single additions of 0.1: the naive sum drifts by about 10^5 ulps, the compensated one by none. */
    @Test
    void beatsNaiveSummationOverManySingleAdds() {
        int n = 10_000_000;
        CompensatedSum comp = new CompensatedSum(1);
        double naive = 0;
        for (int i = 0; i < n; i++) {
            comp.add(0, 0.1);
            naive += 0.1;
        }
        BigDecimal exact = new BigDecimal(0.1).multiply(BigDecimal.valueOf(n));
        double ulp = Math.ulp(exact.doubleValue());
        double compError = Math.abs(new BigDecimal(comp.value()[0]).subtract(exact).doubleValue());
        double naiveError = Math.abs(new BigDecimal(naive).subtract(exact).doubleValue());
        assertTrue(compError <= ulp, "compensated error " + compError + " > 1 ulp " + ulp);
        assertTrue(naiveError > 1000 * ulp, "naive error " + naiveError);
    }

    @Test
    void neumaierKeepsSmallTermsNextToLargeCancellingOnes() {
        // Naive: 1 + 1e100 = 1e100, + 1 = 1e100, - 1e100 = 0. Kahan also gives 0; Neumaier gives 2.
        double[] seq = {1.0, 1e100, 1.0, -1e100};
        CompensatedSum s = new CompensatedSum(1);
        double naive = 0;
        for (double v : seq) {
            s.add(0, v);
            naive += v;
        }
        assertEquals(0.0, naive);
        assertEquals(2.0, s.value()[0], 0);
    }

    @Test
    void mergeCarriesTheCompensationAndTheVectorPathEqualsTheScalarPath() {
        double[] seq = {1e16, 1.0, -1e16, 3.0, 1e-3, 7e15, 0.5, -7e15};
        BigDecimal exact = BigDecimal.ZERO;
        for (double v : seq) exact = exact.add(new BigDecimal(v));
        double naive = 0;
        for (double v : seq) naive += v;
        CompensatedSum left = new CompensatedSum(2), right = new CompensatedSum(2);
        CompensatedSum vector = new CompensatedSum(2), scalar = new CompensatedSum(2);
        for (int i = 0; i < seq.length; i++) {
            (i < 4 ? left : right).add(new double[] {seq[i], -seq[i]});
            vector.add(new double[] {seq[i], -seq[i]});
            scalar.add(0, seq[i]);
            scalar.add(1, -seq[i]);
        }
        assertArrayEquals(scalar.value(), vector.value(), 0);
        left.merge(right);
        // the compensation terms are themselves summed in double: exact to an ulp, where the naive
        // sum loses the 1 and the 0.501 entirely
        double ulp = Math.ulp(exact.doubleValue());
        assertEquals(exact.doubleValue(), left.value()[0], ulp);
        assertEquals(-exact.doubleValue(), left.value()[1], ulp);
        assertEquals(exact.doubleValue(), vector.value()[0], ulp);
        assertTrue(Math.abs(naive - exact.doubleValue()) > 0.5, "naive sum " + naive);
        assertEquals(2, left.length());
        assertThrows(IllegalArgumentException.class, () -> left.merge(new CompensatedSum(3)));
    }
}
