package org.relulearn.algo.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relulearn.algo.moments.MomentAggregator;
import org.relulearn.algo.moments.Moments;
import org.relulearn.data.Adversary;
import org.relulearn.data.Distributions;
import org.relulearn.data.OnlinePoisoning;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.linalg.Dense;

/** The acceptance list of docs/gate.md (Tests), in local mode. */
class GateAcceptanceTest {
    private static final LocalPassRunner LOCAL = new LocalPassRunner();

    private static SyntheticSource source(String dist, int d, ReluGate gate, OnlinePoisoning poison, long seed) {
        return new SyntheticSource(Distributions.parse(dist, d), gate, poison, 1, seed, 0, 4096);
    }

    private static double[] ones(int d) {
        double[] w = new double[d];
        Arrays.fill(w, 1);
        return w;
    }

    /** Identity: E[relu(w.x) x] = Sigma w / 2 for symmetric inputs, and not for shifted ones. */
    @ParameterizedTest
    @CsvSource({"gaussian,true", "gaussian:sd=3,true", "laplace:b=2,true", "student-t:nu=5,true", "uniform,true",
            "mixture:r=2,true", "shifted-gaussian:shift=0.7,false"})
    void p1IdentityHoldsExactlyForSymmetricInputs(String dist, boolean symmetric) {
        int d = 10;
        ReluGate gate = Teachers.randomGate(d, 5, true);
        SyntheticSource src = new SyntheticSource(Distributions.parse(dist, d), gate, null, 2_000_000, 17, 0, 8192);
        Moments mo = LOCAL.aggregate(new SyntheticData(src), () -> new MomentAggregator(d, 1), "identity").result();
        double[] half = Dense.multiply(mo.secondX(), d, d, gate.weights(), 1);
        for (int i = 0; i < d; i++) half[i] *= 0.5;
        double rel = Dense.distance(mo.crossYX(), half) / Dense.norm(half);
        if (symmetric) {
            assertTrue(rel < 0.01, dist + ": relative error " + rel);
        } else {
            assertTrue(rel > 0.5, dist + ": the identity should fail, relative error " + rel);
        }
    }

    /** Realizable: n = 100, b = 16, eta*, w_1 = 1: error below 1e-6 within 800 steps, 1e-12 by 2000. */
    @ParameterizedTest
    @CsvSource({"gaussian", "gaussian:sd=3", "laplace:b=2", "student-t:nu=4"})
    void p1RealizableConvergesLinearlyAtOrBelowKappaStar(String dist) {
        int d = 100;
        ReluGate gate = Teachers.randomGate(d, 21, false);
        GateOptions o = GateOptions.defaults().withIterations(2000).withEvalEvery(1).withPilotSamples(400_000);
        GateResult r = GateTrainer.fit(LOCAL, source(dist, d, gate, null, 3), o, ones(d), gate.weights());
        List<TrajectoryPoint> tr = r.trajectory();
        int hit = tr.stream().filter(p -> p.error() < 1e-6).mapToInt(TrajectoryPoint::t).findFirst().orElse(-1);
        assertTrue(hit > 0 && hit <= 800, dist + ": error reached 1e-6 at step " + hit);
        assertTrue(r.finalError() < 1e-12, dist + ": error at 2000 steps " + r.finalError());
        // Per-step factor of ||w_t - w*||^2 from the log-linear decay between e_0 and the first 1e-9.
        int end = tr.stream().filter(p -> p.error() < 1e-9).mapToInt(TrajectoryPoint::t).findFirst().orElseThrow();
        double factor = Math.pow(tr.get(end).error() / tr.get(0).error(), 2.0 / end);
        assertTrue(factor <= r.predictedKappa(), dist + ": measured per-step factor " + factor + " > kappa " + r.predictedKappa());
    }

    /** Mean over seeds of the rms error over the last 2000 of 6000 steps, at the reference eta*. */
    private static double floor(String dist, double eta, double beta, double theta, int seeds) {
        int d = 100;
        double sum = 0;
        for (int s = 0; s < seeds; s++) {
            ReluGate gate = Teachers.randomGate(d, 100 + s, false);
            OnlinePoisoning p = new OnlinePoisoning(beta, theta, new Adversary.Alternating());
            GateOptions o = GateOptions.defaults().withIterations(6000).withEvalEvery(1).withPilotSamples(2000)
                    .withStep(GateOptions.StepMode.MANUAL, eta);
            GateResult r = GateTrainer.fit(LOCAL, source(dist, d, gate, p, 1000 + s), o, ones(d), gate.weights());
            double ms = 0;
            int n = 0;
            for (TrajectoryPoint t : r.trajectory()) {
                if (t.t() > 4000) {
                    ms += t.error() * t.error();
                    n++;
                }
            }
            sum += Math.sqrt(ms / n);
        }
        return sum / seeds;
    }

    /** Poisoned: floors within 25% of the reference grid (mean of 5 seeds), linear in theta*, ~ sqrt(beta). */
    @ParameterizedTest
    @CsvSource({"gaussian,0.0757,0.142", "gaussian:sd=3,0.00841,0.0474", "laplace:b=2,0.00920,0.0493", "student-t:nu=4,0.0343,0.095"})
    void p1PoisonedFloorMatchesReferenceGrid(String dist, double etaStar, double reference) {
        double f = floor(dist, etaStar, 0.5, 0.25, 5);
        assertEquals(reference, f, 0.25 * reference, dist + ": floor at beta=0.5, theta*=0.25");
    }

    @Test
    void p1PoisonedFloorIsLinearInThetaAndGoesLikeSqrtBeta() {
        double f25 = floor("gaussian", 0.0757, 0.5, 0.25, 5);
        double f50 = floor("gaussian", 0.0757, 0.5, 0.5, 5);
        double f100 = floor("gaussian", 0.0757, 0.5, 1.0, 5);
        assertEquals(2.0, f50 / f25, 0.10, "theta* 0.5 vs 0.25");
        assertEquals(2.0, f100 / f50, 0.10, "theta* 1 vs 0.5");
        double fSmallBeta = floor("gaussian", 0.0757, 0.005, 0.25, 5);
        assertEquals(0.0135, fSmallBeta, 0.25 * 0.0135, "reference floor at beta = 0.005");
        double ratio = f25 / fSmallBeta;
        assertEquals(Math.sqrt(100), ratio, 0.2 * Math.sqrt(100), "sqrt(beta) scaling between beta = 0.005 and 0.5");
    }

    /** Aligned-attack bias: the tail-mean iterate is within 15% of w* + 2 Sigma^-1 E[alpha xi x]. */
    @ParameterizedTest
    @CsvSource({"0.1,0.5", "0.5,0.5", "0.5,2", "0.9,2"})
    void p1AlignedAttackBiasMatchesTheMeanFixedPoint(double beta, double theta) {
        int d = 20;
        ReluGate gate = Teachers.randomGate(d, 9, false);
        OnlinePoisoning p = new OnlinePoisoning(beta, theta, new Adversary.Aligned(null));
        GateOptions o = GateOptions.defaults().withIterations(20_000).withEvalEvery(100).withPilotSamples(100_000)
                .withAverageFrom(5000);
        GateResult r = GateTrainer.fit(LOCAL, source("gaussian", d, gate, p, 77), o, ones(d), gate.weights());
        // For N(0, I) and u = 1/sqrt(d): E[alpha xi x] = beta theta* sqrt(2/pi) u, Sigma = I.
        double[] predicted = gate.weights();
        double bias = 2 * beta * theta * Math.sqrt(2 / Math.PI);
        for (int j = 0; j < d; j++) predicted[j] += bias / Math.sqrt(d);
        double miss = Dense.distance(r.tailAverage(), predicted);
        assertTrue(miss <= 0.15 * bias, "tail mean is " + miss + " from the predicted fixed point; bias " + bias);
    }

    /** SGD contrast: SGD from 0 never moves; from w_1 = 1 it needs within 10% of Tron's steps to 1e-6. */
    @Test
    void p1SgdFromZeroNeverMovesAndFromOnesTracksTron() {
        int d = 100;
        ReluGate gate = Teachers.randomGate(d, 21, false);
        SyntheticSource src = source("gaussian", d, gate, null, 3);
        GateOptions o = GateOptions.defaults().withIterations(1000).withEvalEvery(1).withPilotSamples(2000)
                .withStep(GateOptions.StepMode.MANUAL, 0.0757);
        GateResult sgdZero = GateTrainer.fit(LOCAL, src, o.withUpdate(GateUpdate.SGD).withIterations(200), null, gate.weights());
        assertArrayEquals(new double[d], sgdZero.w(), 0.0, "SGD started at 0 must not move");
        GateResult tronZero = GateTrainer.fit(LOCAL, src, o.withIterations(200), null, gate.weights());
        assertTrue(Dense.norm(tronZero.w()) > 0.5 * Dense.norm(gate.weights()), "Tron moves from 0");

        GateResult tron = GateTrainer.fit(LOCAL, src, o, ones(d), gate.weights());
        GateResult sgd = GateTrainer.fit(LOCAL, src, o.withUpdate(GateUpdate.SGD), ones(d), gate.weights());
        int tTron = firstBelow(tron, 1e-6), tSgd = firstBelow(sgd, 1e-6);
        assertTrue(tTron > 0 && tSgd > 0, "both reach 1e-6: tron " + tTron + ", sgd " + tSgd);
        assertEquals(1.0, (double) tSgd / tTron, 0.10, "SGD steps " + tSgd + " vs Tron steps " + tTron);
    }

    private static int firstBelow(GateResult r, double eps) {
        return r.trajectory().stream().filter(p -> p.error() < eps).mapToInt(TrajectoryPoint::t).findFirst().orElse(-1);
    }
}
