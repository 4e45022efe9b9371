package org.relulearn.algo.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.relulearn.data.Distributions;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teachers;
import org.relulearn.engine.LocalPassRunner;

class GateQuickTest {
    @Test
    void realizableGaussianConverges() {
        int d = 100;
        ReluGate gate = Teachers.randomGate(d, 3, false);
        SyntheticSource src = new SyntheticSource(Distributions.parse("gaussian", d), gate, null, 1, 11, 0, 4096);
        double[] ones = new double[d];
        Arrays.fill(ones, 1);
        GateResult r = GateTrainer.fit(new LocalPassRunner(), src, GateOptions.defaults().withIterations(800), ones, gate.weights());
        System.out.println("eta=" + r.eta() + " kappa*=" + r.rule().kappaStar() + " err=" + r.finalError());
        assertTrue(r.finalError() < 1e-6, "error " + r.finalError());
    }
}
