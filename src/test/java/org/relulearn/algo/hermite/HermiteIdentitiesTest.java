package org.relulearn.algo.hermite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.algo.tensor.HermiteContractions;
import org.relulearn.algo.tensor.HermiteRelu;
import org.relulearn.data.Block;
import org.relulearn.data.CounterRng;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Dense;

/**
 * The Hermite identities behind the passes: each aggregator's block-level closed forms equal the
 * brute-force per-sample contractions of the toolbox (machine precision), and on a network the
 * statistics match their population values T1 = sum a cdf(b) w, T2 = sum a pdf(b) w w^T,
 * M_l = What diag(c_l) What^T and mu_{k,i} = a_i g_k(b_i) (docs/hermite.md, Model, biases (0, 1, -1)
 * chosen so that T_3 loses unit 1 and T_4 units 2 and 3).
 */
class HermiteIdentitiesTest {
    static final int D = 5, M = 3;

    static InMemoryData randomData(int rows, long seed) {
        CounterRng rng = new CounterRng(seed, 1, 0);
        double[] x = new double[rows * D], y = new double[rows];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        for (int r = 0; r < rows; r++) y[r] = Math.max(0, x[r * D] + 0.3) - 0.7 * x[r * D + 1] * x[r * D + 2] + 0.2 * rng.nextGaussian();
        return new InMemoryData(D, 1, List.of(Block.wrap(D, 1, rows / 2, 0, java.util.Arrays.copyOf(x, rows / 2 * D),
                java.util.Arrays.copyOf(y, rows / 2)), Block.wrap(D, 1, rows - rows / 2, rows / 2,
                java.util.Arrays.copyOfRange(x, rows / 2 * D, rows * D), java.util.Arrays.copyOfRange(y, rows / 2, rows))));
    }

    static LabelResidual residual(boolean enabled) {
        CounterRng rng = new CounterRng(5, 2, 0);
        double[] t1 = new double[D];
        for (int j = 0; j < D; j++) t1[j] = rng.nextGaussian();
        double[] v = Dense.randomOrthonormalColumns(D, M, rng);
        double[] dm = new double[M * M];
        for (int i = 0; i < M; i++) for (int j = i; j < M; j++) dm[i * M + j] = dm[j * M + i] = rng.nextGaussian();
        return LabelResidual.linear(enabled, 0.37, t1).withSubspace(v, M, dm);
    }

    /** u = V^T x, yc and yr of one row by the plain formulas. */
    static double[] row(LabelResidual res, double[] x, double y) {
        double[] u = new double[M];
        for (int c = 0; c < M; c++) for (int j = 0; j < D; j++) u[c] += res.v()[j * M + c] * x[j];
        if (!res.enabled()) return new double[] {u[0], u[1], u[2], y, y};
        double yc = y - res.meanY();
        for (int j = 0; j < D; j++) yc -= res.t1()[j] * x[j];
        double q = 0, tr = 0;
        for (int i = 0; i < M; i++) {
            tr += res.dMatrix()[i * M + i];
            for (int j = 0; j < M; j++) q += u[i] * res.dMatrix()[i * M + j] * u[j];
        }
        return new double[] {u[0], u[1], u[2], yc, yc - 0.5 * (q - tr)};
    }

    @Test
    void contractionSumsEqualTheBruteForceContractions() {
        for (boolean vr : new boolean[] {true, false}) {
            InMemoryData data = randomData(3001, 3);
            LabelResidual res = residual(vr);
            RandomContractions rc = RandomContractions.draw(M, 4, 9);
            ContractionAggregator agg = new LocalPassRunner().aggregate(data,
                    () -> new ContractionAggregator(Shared.local(res), Shared.local(rc)), "test");
            double[][] got = agg.matrices();
            double[][] want = new double[4][M * M];
            long n = 0;
            for (Block b : data.blocks()) {
                for (int r = 0; r < b.rows(); r++, n++) {
                    double[] x = java.util.Arrays.copyOfRange(b.x(), r * D, r * D + D);
                    double[] p = row(res, x, b.y()[r]);
                    double[] u = java.util.Arrays.copyOf(p, M);
                    for (int l = 0; l < 4; l++) {
                        double[] h3 = HermiteContractions.he3ContractOne(u, rc.vector(l));
                        double[] h4 = HermiteContractions.he4ContractTwo(u, rc.matrix(l));
                        for (int e = 0; e < M * M; e++) want[l][e] += p[4] * (h3[e] + h4[e]);
                    }
                }
            }
            for (int l = 0; l < 4; l++) {
                for (int e = 0; e < M * M; e++) assertEquals(want[l][e] / n, got[l][e], 1e-11 * (1 + Math.abs(want[l][e] / n)), "M_" + l + " entry " + e);
            }
        }
    }

    @Test
    void coefficientAndOrderTwoSumsEqualTheBruteForceForms() {
        InMemoryData data = randomData(2001, 4);
        LabelResidual res = residual(true);
        double[] z = {0.6, -0.2, 0.9, 0.1, 0.5, -0.7, -0.3, 0.8, 0.2};
        double[] zn = z.clone(), norms = new double[M];
        for (int i = 0; i < M; i++) {
            norms[i] = Math.sqrt(z[i * M] * z[i * M] + z[i * M + 1] * z[i * M + 1] + z[i * M + 2] * z[i * M + 2]);
            for (int j = 0; j < M; j++) zn[i * M + j] /= norms[i];
        }
        CoefficientAggregator.UnitProjection pr = new CoefficientAggregator.UnitProjection(M, zn, norms, 5);
        CoefficientAggregator coef = new LocalPassRunner().aggregate(data, () -> new CoefficientAggregator(Shared.local(res), Shared.local(pr)), "t");
        SecondOrderAggregator second = new LocalPassRunner().aggregate(data, () -> new SecondOrderAggregator(Shared.local(res)), "t");
        double[][] mu = coef.coefficients();
        double[][] want = new double[6][M];
        double[] t2 = new double[D * D];
        double syc = 0;
        long n = 0;
        for (Block b : data.blocks()) {
            for (int r = 0; r < b.rows(); r++, n++) {
                double[] x = java.util.Arrays.copyOfRange(b.x(), r * D, r * D + D);
                double[] p = row(res, x, b.y()[r]);
                double[] u = java.util.Arrays.copyOf(p, M);
                for (int i = 0; i < M; i++) {
                    double[] zi = java.util.Arrays.copyOfRange(z, i * M, i * M + M);
                    for (int k = 1; k <= 5; k++) {
                        double yk = k == 1 ? b.y()[r] - res.meanY() : k == 2 ? p[3] : p[4];
                        want[k][i] += yk * HermiteContractions.heFullContraction(k, u, zi);
                    }
                }
                for (int i = 0; i < D; i++) for (int j = 0; j < D; j++) t2[i * D + j] += p[3] * x[i] * x[j];
                syc += p[3];
            }
        }
        for (int k = 1; k <= 5; k++) for (int i = 0; i < M; i++) {
            assertEquals(want[k][i] / n, mu[k][i], 1e-10 * (1 + Math.abs(want[k][i] / n)), "mu_" + k + "," + i);
        }
        double[] got = second.t2();
        for (int i = 0; i < D; i++) for (int j = 0; j < D; j++) {
            double w = t2[i * D + j] / n - (i == j ? syc / n : 0);
            assertEquals(w, got[i * D + j], 1e-11 * (1 + Math.abs(w)), "T2 entry " + i + "," + j);
        }
    }

    @Test
    void statisticsMatchTheirPopulationValuesOnANetwork() {
        double[] a = {1.3, -0.8, 0.6}, bias = {0, 1, -1};
        OneHiddenLayerNetwork t = HermiteTeachers.network(D, bias, 21);
        t = new OneHiddenLayerNetwork(D, M, 1, t.weights(), bias, a);
        double[] w = t.weights();
        long n = 1_000_000;
        var data = HermiteTeachers.data(t, null, n, 21, 0);
        LocalPassRunner runner = new LocalPassRunner();
        InputStatsAggregator.InputStats st = runner.aggregate(data, () -> new InputStatsAggregator(D), "t").result();
        double[] t1 = st.t1();
        for (int j = 0; j < D; j++) {
            double want = 0;
            for (int i = 0; i < M; i++) want += a[i] * HermiteRelu.cdf(bias[i]) * w[i * D + j];
            assertEquals(want, t1[j], 0.01, "T1 entry " + j);
        }
        LabelResidual lin = LabelResidual.linear(true, st.meanY(), t1);
        double[] t2 = runner.aggregate(data, () -> new SecondOrderAggregator(Shared.local(lin)), "t").t2();
        for (int p = 0; p < D; p++) for (int q = 0; q < D; q++) {
            double want = 0;
            for (int i = 0; i < M; i++) want += a[i] * HermiteRelu.pdf(bias[i]) * w[i * D + p] * w[i * D + q];
            assertEquals(want, t2[p * D + q], 0.01, "T2 entry " + p + "," + q);
        }
        // The subspace spanned by the true units, What = V^T W (columns), Z = inv(What).
        double[] v = org.relulearn.algo.tensor.SymmetricSubspace.topAbs(t2, D, M).vectors();
        double[] what = Dense.multiply(Dense.transpose(v, D, M), M, D, Dense.transpose(w, M, D), M);
        double[] dm = Dense.multiply(Dense.multiply(Dense.transpose(v, D, M), M, D, t2, D), M, D, v, M);
        LabelResidual full = lin.withSubspace(v, M, dm);
        RandomContractions rc = RandomContractions.draw(M, 3, 1);
        double[][] mats = runner.aggregate(data, () -> new ContractionAggregator(Shared.local(full), Shared.local(rc)), "t").matrices();
        for (int l = 0; l < 3; l++) {
            double[] want = new double[M * M];
            for (int i = 0; i < M; i++) {
                double gw = 0, wgw = 0;
                for (int p = 0; p < M; p++) {
                    gw += rc.vector(l)[p] * what[p * M + i];
                    for (int q = 0; q < M; q++) wgw += what[p * M + i] * rc.matrix(l)[p * M + q] * what[q * M + i];
                }
                double c = a[i] * (HermiteRelu.g(3, bias[i]) * gw + HermiteRelu.g(4, bias[i]) * wgw);
                for (int p = 0; p < M; p++) for (int q = 0; q < M; q++) want[p * M + q] += c * what[p * M + i] * what[q * M + i];
            }
            double rel = Dense.distance(want, mats[l]) / Dense.norm(want);
            assertTrue(rel < 0.1, "M_" + l + " relative error " + rel);
        }
        double[] z = SmallMatrices.inverse(what, M);
        double[] zn = z.clone(), norms = new double[M];
        for (int i = 0; i < M; i++) {
            norms[i] = Math.sqrt(z[i * M] * z[i * M] + z[i * M + 1] * z[i * M + 1] + z[i * M + 2] * z[i * M + 2]);
            for (int j = 0; j < M; j++) zn[i * M + j] /= norms[i];
        }
        CoefficientAggregator.UnitProjection pr = new CoefficientAggregator.UnitProjection(M, zn, norms, 5);
        CoefficientAggregator coef = runner.aggregate(data, () -> new CoefficientAggregator(Shared.local(full), Shared.local(pr)), "t");
        double[][] mu = coef.coefficients(), se = coef.standardErrors();
        for (int i = 0; i < M; i++) {
            for (int k = 1; k <= 5; k++) {
                double want = a[i] * HermiteRelu.g(k, bias[i]);
                double zscore = (mu[k][i] - want) / se[k][i];
                assertTrue(Math.abs(zscore) < 5, "mu_" + k + " of unit " + i + " = " + mu[k][i] + ", population " + want + " (z = " + zscore + ")");
            }
        }
    }

    @Test
    void unitFitRecoversBiasWeightAndOrientationFromExactCoefficients() {
        double[] zero = new double[6];
        for (double b : new double[] {-2, -0.5, 0, 1, 2.5}) {
            for (double a : new double[] {0.7, -1.2}) {
                for (int s : new int[] {1, -1}) {
                    double bp = s * b;
                    double[] mu = new double[6];
                    for (int k = 2; k <= 5; k++) mu[k] = a * HermiteRelu.g(k, bp);
                    mu[1] = s * a * HermiteRelu.cdf(b);
                    UnitCoefficientFit f = UnitCoefficientFit.fit(mu, zero, 5, 3, 6001);
                    assertEquals(a, f.a(), 1e-2, "a for b=" + b + ", s=" + s);
                    assertEquals(b, f.bias(), 1.1e-3, "b for b=" + b + ", a=" + a + ", s=" + s);
                    assertEquals(s, f.sign(), "orientation for b=" + b + ", a=" + a);
                    assertTrue(!f.atEdge() && !f.invisible());
                }
            }
        }
    }

    @Test
    void affineUnitsExpressTheAffineFunctionExactly() {
        double[] beta = {0.3, -1.1, 0.4};
        for (double c : new double[] {0.8, -0.25, 0}) {
            ReluNet net = ReluNet.affine(c, beta);
            assertEquals(c == 0 ? 2 : 3, net.units());
            CounterRng rng = new CounterRng(1, 1, 1);
            for (int t = 0; t < 20; t++) {
                double[] x = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
                assertEquals(c + beta[0] * x[0] + beta[1] * x[1] + beta[2] * x[2], net.apply(x), 1e-12);
            }
        }
    }

    @Test
    void pairJennrichRecoversTheColumnsOfExactContractions() {
        double[] what = {0.8, 0.1, -0.3, 0.5, 0.9, 0.2, -0.33, 0.42, 0.93};
        for (int i = 0; i < M; i++) {
            double s = 0;
            for (int p = 0; p < M; p++) s += what[p * M + i] * what[p * M + i];
            for (int p = 0; p < M; p++) what[p * M + i] /= Math.sqrt(s);
        }
        CounterRng rng = new CounterRng(3, 3, 3);
        double[][] mats = new double[4][M * M];
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < M; i++) {
                double c = rng.nextGaussian();
                for (int p = 0; p < M; p++) for (int q = 0; q < M; q++) mats[l][p * M + q] += c * what[p * M + i] * what[q * M + i];
            }
        }
        PairJennrich j = PairJennrich.decompose(mats, M);
        assertTrue(j.score() < 1e-20, "score " + j.score());
        for (int i = 0; i < M; i++) {
            double best = 0;
            for (int c = 0; c < M; c++) {
                double dot = 0;
                for (int p = 0; p < M; p++) dot += what[p * M + i] * j.what()[p * M + c];
                best = Math.max(best, Math.abs(dot));
            }
            assertEquals(1, best, 1e-10, "column " + i);
        }
    }
}
