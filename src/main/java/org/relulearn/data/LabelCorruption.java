package org.relulearn.data;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A corruption of clean labels, applied row by row after the teacher. The random stream handed in
 * is positioned for this row's labels (it depends only on seed, stream and the row's index).
 */
public interface LabelCorruption extends Serializable {

    /** Corrupts the labels of row {@code r} of {@code block} (global index {@code index}) in place. */
    void corruptRow(Block block, int r, long index, CounterRng rng, AdversaryContext ctx);

    Map<String, Object> describe();

    /** Several corruptions applied in order. */
    record Chain(List<LabelCorruption> parts) implements LabelCorruption {
        public void corruptRow(Block block, int r, long index, CounterRng rng, AdversaryContext ctx) {
            for (LabelCorruption p : parts) p.corruptRow(block, r, index, rng, ctx);
        }
        public Map<String, Object> describe() {
            return Map.of("type", "chain", "parts", parts.stream().map(LabelCorruption::describe).toList());
        }
    }
}
