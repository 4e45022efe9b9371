package org.relulearn.algo.tensorgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.relulearn.algo.tensor.SymmetricSubspace;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.Shared;

/** The block subspace iteration (large-d path of step 1) finds the packed pass's top-K |eigen| subspace of the same P2hat. */
class SubspaceIterationTest {

    @Test
    void iterativeSubspaceMatchesThePackedEigenSubspace() {
        int d = 40, k = 4;
        OneHiddenLayerNetwork t = ZhongTeacher.create(d, k, 2, true, 6);
        InMemoryData data = TensorGdAcceptanceTest.data(t, 30_000, 0.1, 6);
        LocalPassRunner runner = new LocalPassRunner();
        InputStats st = runner.aggregate(data, () -> new InputStatsAggregator(d), "stats").result();
        Shared<Phase1Inputs> s2 = Shared.local(new Phase1Inputs(d, k, new SampleSplit(TensorGdOptions.Split.FAITHFUL, 2), true,
                st.meanY(), st.m1(), null, null, null, TensorGdOptions.Variant.M4PROJ));
        SubspaceAggregator packed = runner.aggregate(data, () -> new SubspaceAggregator(s2), "packed");
        SymmetricSubspace.Subspace exact = SymmetricSubspace.topAbs(packed.p2(), d, k);
        long[] rows = new long[1];
        SymmetricSubspace.Subspace iter = TensorInitializer.iterativeSubspace(runner, data, s2, d, k, 3, rows);
        assertEquals(packed.count(), rows[0]);
        double diff = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double a = 0, b = 0;
                for (int c = 0; c < k; c++) {
                    a += exact.vectors()[i * k + c] * exact.vectors()[j * k + c];
                    b += iter.vectors()[i * k + c] * iter.vectors()[j * k + c];
                }
                diff += (a - b) * (a - b);
            }
        }
        assertTrue(Math.sqrt(diff) < 1e-6, "projector distance " + Math.sqrt(diff) + ", gap " + exact.gapRatio());
        for (int c = 0; c < k; c++) assertEquals(exact.values()[c], iter.values()[c], 1e-9 * Math.abs(exact.values()[0]));
        double[] q = TensorInitializer.orthonormalise(new double[] {1, 2, 2, 4, 0, 0}, 3, 2);   // dependent columns
        assertEquals(0, q[0] * q[1] + q[2] * q[3] + q[4] * q[5], 1e-12);
    }
}
