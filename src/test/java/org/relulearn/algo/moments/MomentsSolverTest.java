package org.relulearn.algo.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.CounterRng;
import org.relulearn.linalg.Dense;

/** Driver steps on exact inputs: svec/smat, the whitened diagonalisation, step 7 and the recovery metric. */
class MomentsSolverTest {

    private static double[] gaussian(int len, CounterRng rng) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) a[i] = rng.nextGaussian();
        return a;
    }

    @Test
    void svecPreservesTheFrobeniusInnerProductAndSmatInvertsIt() {
        CounterRng rng = new CounterRng(1, 0, 0);
        int n = 5;
        double[] a = gaussian(n * n, rng), b = gaussian(n * n, rng);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) { a[i * n + j] = a[j * n + i]; b[i * n + j] = b[j * n + i]; }
        double frob = 0, dot = 0;
        for (int i = 0; i < n * n; i++) frob += a[i] * b[i];
        double[] sa = MomentsSolver.svec(a, n), sb = MomentsSolver.svec(b, n);
        for (int i = 0; i < sa.length; i++) dot += sa[i] * sb[i];
        assertEquals(frob, dot, 1e-12);
        assertArrayEquals(a, MomentsSolver.smat(sa, n), 1e-15);
    }

    @Test
    void whitenedDiagonalisationRecoversTheColumnsOfAtFromAnExactNullSpace() { exactNullSpace(false); }

    @Test
    void paperStyleDiagonalisationRecoversTheColumnsOfAtFromAnExactNullSpace() { exactNullSpace(true); }

    private static void exactNullSpace(boolean paper) {
        CounterRng rng = new CounterRng(2, 0, 0);
        int k = 4;
        double[] at = gaussian(k * k, rng);
        double[] inv = MomentsSolver.inverse(at, k);
        // Z_j = sum_i M_ji At^{-T} e_i e_i^T At^{-1}: a random basis of {At^{-T} D At^{-1}}.
        double[] mix = gaussian(k * k, rng);
        List<double[]> z = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            double[] zj = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int r = 0; r < k; r++) for (int c = 0; c < k; c++) zj[r * k + c] += mix[j * k + i] * inv[i * k + r] * inv[i * k + c];
            }
            z.add(zj);
        }
        MomentsSolver.Diagonalisation diag = paper ? MomentsSolver.pairDiagonalisation(z, k, 9, 20)
                : MomentsSolver.whitenedDiagonalisation(z, k, 9);
        assertTrue(paper ? diag.eigenGap() > 0 : diag.pdMargin() > 0);
        // Every true column is parallel to exactly one recovered column.
        for (int i = 0; i < k; i++) {
            double best = 0, norm = 0;
            for (int r = 0; r < k; r++) norm += at[r * k + i] * at[r * k + i];
            for (int j = 0; j < k; j++) {
                double dot = 0;
                for (int r = 0; r < k; r++) dot += at[r * k + i] * diag.at()[r * k + j];
                best = Math.max(best, Math.abs(dot) / Math.sqrt(norm));
            }
            assertEquals(1.0, best, 1e-9, "column " + i);
        }
    }

    @Test
    void pairsWithOnlyComplexEigenvaluesAreAnError() {
        // span{I, J} with J a rotation generator: U2^{-1} U1 has complex eigenvalues for almost every pair.
        List<double[]> z = List.of(new double[] {1, 0, 0, 1}, new double[] {0, 1, -1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MomentsSolver.pairDiagonalisation(z, 2, 1, 20));
        assertTrue(e.getMessage().contains("complex"), e.getMessage());
    }

    @Test
    void aNullSpaceWithoutPositiveDefiniteElementIsAnError() {
        int k = 2;
        // span{diag(1,-1)}, twice: every combination is indefinite or zero.
        List<double[]> z = List.of(new double[] {1, 0, 0, -1}, new double[] {-1, 0, 0, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MomentsSolver.whitenedDiagonalisation(z, k, 1));
        assertTrue(e.getMessage().contains("positive-definite"), e.getMessage());
    }

    @Test
    void networkStepFixesSignsFromTheMeanOfYAndIsExactOnPopulationInputs() {
        CounterRng rng = new CounterRng(3, 0, 0);
        int l = 5, k = 3, d = 6;
        double[] a = gaussian(l * k, rng), w = gaussian(k * d, rng);
        double[] b = Dense.multiply(a, l, k, w, d);
        MomentsSolver.OutputBasis basis = MomentsSolver.outputBasis(b, l, d, k);
        assertTrue(basis.gap() > 1e10, "B has rank k exactly");
        // E[y] = (1/2) A E|W x| with positive E|w_i . x|.
        double[] meanY = Dense.multiply(a, l, k, new double[] {0.7, 1.3, 0.4}, 1);
        // At = P^T A, columns scrambled: permuted, scaled by +-, as a diagonalisation returns them.
        double[] at = Dense.multiply(Dense.transpose(basis.p(), l, k), k, l, a, k);
        double[] scrambled = new double[k * k];
        int[] perm = {2, 0, 1};
        double[] scale = {-0.5, 2.0, -3.0};
        for (int r = 0; r < k; r++) for (int j = 0; j < k; j++) scrambled[r * k + j] = scale[j] * at[r * k + perm[j]];
        MomentsSolver.Network net = MomentsSolver.network(scrambled, basis, meanY, l, d);
        assertEquals(2, net.flipped());
        Recovery rec = Recovery.of(net.a(), net.w(), a, w, l, k, d);
        assertEquals(0, rec.eW(), 1e-10);
        assertEquals(0, rec.eA(), 1e-10);
    }

    @Test
    void recoveryIsInvariantToPermutationAndPositiveScalingButNotToASignFlip() {
        CounterRng rng = new CounterRng(4, 0, 0);
        int l = 3, k = 3, d = 4;
        double[] a = gaussian(l * k, rng), w = gaussian(k * d, rng);
        int[] perm = {1, 2, 0};
        double[] scale = {0.3, 5, 1.7};
        double[] a2 = new double[l * k], w2 = new double[k * d];
        for (int j = 0; j < k; j++) {
            for (int r = 0; r < l; r++) a2[r * k + j] = a[r * k + perm[j]] / scale[j];
            for (int c = 0; c < d; c++) w2[j * d + c] = w[perm[j] * d + c] * scale[j];
        }
        Recovery same = Recovery.of(a2, w2, a, w, l, k, d);
        assertEquals(0, same.eW(), 1e-12);
        assertEquals(0, same.eA(), 1e-12);
        assertEquals(1, same.minAbsCosine(), 1e-12);
        for (int c = 0; c < d; c++) w2[c] = -w2[c];
        assertTrue(Recovery.of(a2, w2, a, w, l, k, d).eW() > 0.5, "a flipped unit is a different function");
    }
}
