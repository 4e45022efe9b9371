package org.relulearn.algo.moments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Recovery at d = 10, k = 5, l = 8, N = 1e6 for Gaussian, unit-variance uniform and the
 * symmetric mixture (here mu = (1,...,1)/sqrt(d), not the reference simulation's linspace(-1, 1, d)): median eW over
 * three instances <= 0.1, and error non-increasing from N = 1e5 to 1e6 on average.
 */
class MomentsRecoveryLawsTest {

    @Test
    void threeSymmetricLawsAreRecoveredAtD10K5L8() {
        for (String law : new String[] {"gaussian", "uniform:a=1.7320508075688772", "mixture"}) {
            double[] ew = new double[3];
            for (int s = 0; s < 3; s++) ew[s] = MomentsRecoveryTest.run(law, 10, 5, 8, 1_000_000, s + 1, MomentsOptions.defaults()).eW();
            double med = MomentsRecoveryTest.median(ew);
            assertTrue(med <= 0.1, law + ": median eW = " + med + " of " + Arrays.toString(ew));
        }
    }

    @Test
    void errorDoesNotGrowFromOneHundredThousandToOneMillionRows() {
        double small = 0, large = 0;
        for (int s = 1; s <= 3; s++) {
            small += MomentsRecoveryTest.run("gaussian", 10, 5, 8, 100_000, s, MomentsOptions.defaults().withGaps(1, 1)).eW();
            large += MomentsRecoveryTest.run("gaussian", 10, 5, 8, 1_000_000, s, MomentsOptions.defaults().withGaps(1, 1)).eW();
        }
        assertTrue(large <= small, "mean eW " + small / 3 + " at 1e5 vs " + large / 3 + " at 1e6");
    }
}
