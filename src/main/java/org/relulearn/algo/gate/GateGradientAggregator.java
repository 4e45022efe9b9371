package org.relulearn.algo.gate;

import org.relulearn.data.Block;
import org.relulearn.engine.SummingAggregator;
import org.relulearn.engine.CompensatedSum;
import org.relulearn.engine.Shared;

/**
 * One distributed mini-batch step's partial sums: sum_i r_i x_i, the row count and the batch loss,
 * for the broadcast iterate w_t (see {@link GateKernel}). The driver then sets
 * w_{t+1} = w_t + (eta / b) sum_i r_i x_i.
 */
public final class GateGradientAggregator extends SummingAggregator<GateGradientAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<double[]> iterate;
    private final GateUpdate update;
    private final CompensatedSum sum;
    private final CompensatedSum loss = sums(1);
    private transient double[] scratch;

    public GateGradientAggregator(Shared<double[]> iterate, GateUpdate update, int d) {
        this.iterate = iterate;
        this.update = update;
        this.sum = sums(d);
    }

    @Override
    protected void addRows(Block block) {
        if (scratch == null || scratch.length < block.rows()) scratch = new double[Math.max(block.rows(), 16)];
        loss.pending()[0] += GateKernel.addResidualSum(block, iterate.value(), update, sum.pending(), scratch);
    }

    /** sum_i r_i x_i. */
    public double[] residualSum() { return sum.value(); }

    /** sum_i (y_i - relu(w.x_i))^2. */
    public double lossSum() { return loss.value()[0]; }
}
