package org.relulearn.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateSlopeTest {
    @Test
    void slopeIsBetweenGeometricMeansWithTheirStandardError() {
        // log e_lo = log 0.01 + {-0.1, 0.1}, log e_hi = log 0.001 + {-0.2, 0, 0.2}: the geometric means
        // are 0.01 and 0.001, one decade apart in e over two decades in N -> slope -1/2.
        double[] lo = {0.01 * Math.exp(-0.1), 0.01 * Math.exp(0.1)};
        double[] hi = {0.001 * Math.exp(-0.2), 0.001, 0.001 * Math.exp(0.2)};
        RateSlope r = RateSlope.of(1e6, lo, 1e8, hi);
        assertEquals(-0.5, r.slope(), 1e-12);
        // s_lo^2 = 0.02, s_hi^2 = 0.04: se = sqrt(0.02/2 + 0.04/3) / ln 100.
        assertEquals(Math.sqrt(0.01 + 0.04 / 3) / Math.log(100), r.se(), 1e-12);
        assertEquals(2, r.mLo());
        assertEquals(3, r.mHi());
        assertEquals(0.001, RateSlope.geometricMean(hi), 1e-15);
    }

    @Test
    void oneInstancePerEndHasNoStandardErrorAndRefusedFitsAreSkipped() {
        RateSlope r = RateSlope.of(1e6, new double[] {0.0104}, 1e7, new double[] {0.0033, Double.NaN});
        assertEquals(Math.log10(0.0033 / 0.0104), r.slope(), 1e-12);
        assertTrue(Double.isNaN(r.se()));
        assertEquals(1, r.mHi());
        assertTrue(Double.isNaN(RateSlope.of(1e6, new double[] {Double.NaN}, 1e7, new double[] {0.003}).slope()));
        assertThrows(IllegalArgumentException.class, () -> RateSlope.of(1e7, new double[] {1}, 1e6, new double[] {1}));
    }
}
