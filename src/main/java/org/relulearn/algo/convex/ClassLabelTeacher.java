package org.relulearn.algo.convex;

import java.util.LinkedHashMap;
import java.util.Map;
import org.relulearn.algo.loss.ConvexLoss;
import org.relulearn.data.Block;
import org.relulearn.data.Teacher;

/**
 * Class labels from a real-valued teacher: y = +1 / -1 (hinge) or 1 / 0 (BCE) by whether the
 * teacher's output exceeds {@code threshold}. Gives synthetic classification data for the convex
 * programs' hinge and BCE losses.
 */
public final class ClassLabelTeacher implements Teacher {
    private static final long serialVersionUID = 1L;
    private final Teacher inner;
    private final double threshold;
    private final double negative;

    public ClassLabelTeacher(Teacher inner, double threshold, ConvexLoss loss) {
        if (inner.outputDim() != 1) throw new IllegalArgumentException("class labels need a teacher with one output, got " + inner.outputDim());
        this.inner = inner;
        this.threshold = threshold;
        this.negative = loss == ConvexLoss.BCE ? 0 : -1;
    }

    @Override public int inputDim() { return inner.inputDim(); }
    @Override public int outputDim() { return 1; }
    @Override public int scratchSize(int rows) { return inner.scratchSize(rows); }

    @Override
    public void label(Block block, double[] scratch) {
        inner.label(block, scratch);
        double[] y = block.y();
        for (int r = 0; r < block.rows(); r++) y[r] = y[r] > threshold ? 1 : negative;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "class-labels");
        m.put("threshold", threshold);
        m.put("negativeLabel", negative);
        m.put("teacher", inner.describe());
        return m;
    }
}
