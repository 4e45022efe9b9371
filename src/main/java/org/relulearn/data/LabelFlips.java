package org.relulearn.data;

import java.util.Map;

/** Classification label flips: each +-1 label changes sign with probability eta. */
public record LabelFlips(double eta) implements LabelCorruption {
    public LabelFlips {
        Checks.probability("flip probability eta", eta);
    }

    public void corruptRow(Block block, int r, long index, CounterRng rng, AdversaryContext ctx) {
        if (rng.nextDouble() < eta) {
            int m = block.m();
            double[] y = block.y();
            for (int i = 0; i < m; i++) y[r * m + i] = -y[r * m + i];
        }
    }

    public Map<String, Object> describe() {
        return Map.of("type", "label-flips", "eta", eta);
    }
}
