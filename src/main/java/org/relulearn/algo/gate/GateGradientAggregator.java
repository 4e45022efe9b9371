package org.relulearn.algo.gate;

import org.relulearn.data.Block;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.Shared;

/**
 * One distributed mini-batch step's partial sums: sum_i r_i x_i, the row count and the batch loss,
 * for the broadcast iterate w_t (see {@link GateKernel}). The driver then sets
 * w_{t+1} = w_t + (eta / b) sum_i r_i x_i.
 */
public final class GateGradientAggregator implements Aggregator<GateGradientAggregator> {
    private static final long serialVersionUID = 1L;
    private final Shared<double[]> iterate;
    private final GateUpdate update;
    private final double[] sum;
    private long n;
    private double loss;
    private transient double[] scratch;

    public GateGradientAggregator(Shared<double[]> iterate, GateUpdate update, int d) {
        this.iterate = iterate;
        this.update = update;
        this.sum = new double[d];
    }

    @Override
    public void add(Block block) {
        if (scratch == null || scratch.length < block.rows()) scratch = new double[Math.max(block.rows(), 16)];
        loss += GateKernel.addResidualSum(block, iterate.value(), update, sum, scratch);
        n += block.rows();
    }

    @Override
    public GateGradientAggregator merge(GateGradientAggregator other) {
        for (int j = 0; j < sum.length; j++) sum[j] += other.sum[j];
        n += other.n;
        loss += other.loss;
        return this;
    }

    @Override
    public long count() { return n; }

    /** sum_i r_i x_i. */
    public double[] residualSum() { return sum.clone(); }

    /** sum_i (y_i - relu(w.x_i))^2. */
    public double lossSum() { return loss; }
}
