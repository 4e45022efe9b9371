package org.relulearn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relulearn.data.Block;

/** The deterministic merge tree has the documented shape (recorded as a bracketed expression). */
class FixedMergeTreeTest {

    /** Records the merge order as text: merging "a" and "b" gives "(a+b)". */
    static final class Recorder implements Aggregator<Recorder> {
        String expr;
        Recorder(String expr) { this.expr = expr; }
        public void add(Block block) { }
        public Recorder merge(Recorder other) {
            expr = "(" + expr + "+" + other.expr + ")";
            return this;
        }
        public long count() { return 0; }
    }

    private static String tree(int parts, int depth) {
        List<Recorder> list = new ArrayList<>();
        for (int i = 0; i < parts; i++) list.add(new Recorder(Integer.toString(i)));
        return FixedMergeTree.reduce(list, depth).expr;
    }

    @Test
    void fanoutIsTheCeilingOfTheDepthRootAtLeastTwo() {
        assertEquals(2, FixedMergeTree.fanout(1, 1));
        assertEquals(7, FixedMergeTree.fanout(7, 1));
        // Up to DIRECT_MERGE_LIMIT partial results are merged directly, whatever the depth.
        assertEquals(7, FixedMergeTree.fanout(7, 2));
        assertEquals(16, FixedMergeTree.fanout(16, 3));
        assertEquals(1, FixedMergeTree.treeDepth(16, 3));
        assertEquals(3, FixedMergeTree.treeDepth(17, 3));
        assertEquals(5, FixedMergeTree.fanout(17, 2));
        assertEquals(6, FixedMergeTree.fanout(33, 2));
        assertEquals(4, FixedMergeTree.fanout(33, 3));
        assertEquals(2, FixedMergeTree.fanout(2, 3));
        assertThrows(IllegalArgumentException.class, () -> FixedMergeTree.fanout(0, 2));
        assertThrows(IllegalArgumentException.class, () -> FixedMergeTree.fanout(3, 0));
    }

    @Test
    void treeShapes() {
        assertEquals("0", tree(1, 2));
        assertEquals("(0+1)", tree(2, 3));
        assertEquals("((((((0+1)+2)+3)+4)+5)+6)", tree(7, 1));
        assertEquals("((((((0+1)+2)+3)+4)+5)+6)", tree(7, 2), "few partial results: direct merge");
        // 18 partial results, depth 2, fan-out 5: groups {0..4} {5..9} {10..14} {15..17}, then in order
        assertEquals("(((((((0+1)+2)+3)+4)+((((5+6)+7)+8)+9))+((((10+11)+12)+13)+14))+((15+16)+17))",
                tree(18, 2));
        // 18 partial results, depth 3, fan-out 3: 18 -> 6 -> 2 -> driver
        assertEquals("(((((0+1)+2)+((3+4)+5))+((6+7)+8))+((((9+10)+11)+((12+13)+14))+((15+16)+17)))", tree(18, 3));
        assertEquals(3, FixedMergeTree.fanout(18, 3));
    }
}
