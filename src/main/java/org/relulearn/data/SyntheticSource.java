package org.relulearn.data;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * N synthetic samples streamed in blocks, never materialised. Row i of stream s under seed S is
 * drawn from a {@link CounterRng} keyed by (S, s, i) for the features and by (S', s, i) for the
 * label corruption, so a sample depends on nothing but (seed, stream, global index): not on the
 * block size, the number of partitions or executors, the order of generation or task retries.
 *
 * <p>Block b holds rows [bR, min((b+1)R, N)). Online algorithms draw fresh samples by asking for
 * another stream ({@link #withStream}).
 */
public final class SyntheticSource implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long LABEL_SALT = 0x1AB3_15A1_7DEC_0DEDL;

    private final InputDistribution distribution;
    private final Teacher teacher;
    private final LabelCorruption corruption;
    private final long numRows;
    private final long seed;
    private final long stream;
    private final int rowsPerBlock;

    public SyntheticSource(InputDistribution distribution, Teacher teacher, LabelCorruption corruption,
                           long numRows, long seed, long stream, int rowsPerBlock) {
        if (distribution == null) throw new IllegalArgumentException("an input distribution is required");
        Checks.atLeast("number of samples", numRows, 1);
        Checks.atLeast("rows per block", rowsPerBlock, 1);
        if (teacher != null && teacher.inputDim() != distribution.dimension()) {
            throw new IllegalArgumentException("teacher expects d=" + teacher.inputDim()
                    + " but the input distribution has d=" + distribution.dimension());
        }
        this.distribution = distribution;
        this.teacher = teacher;
        this.corruption = corruption;
        this.numRows = numRows;
        this.seed = seed;
        this.stream = stream;
        this.rowsPerBlock = rowsPerBlock;
    }

    /** The same data definition on another stream (fresh, independent samples). */
    public SyntheticSource withStream(long newStream) {
        return new SyntheticSource(distribution, teacher, corruption, numRows, seed, newStream, rowsPerBlock);
    }

    public SyntheticSource withNumRows(long n) {
        return new SyntheticSource(distribution, teacher, corruption, n, seed, stream, rowsPerBlock);
    }

    public SyntheticSource withRowsPerBlock(int r) {
        return new SyntheticSource(distribution, teacher, corruption, numRows, seed, stream, r);
    }

    public InputDistribution distribution() { return distribution; }
    public Teacher teacher() { return teacher; }
    public LabelCorruption corruption() { return corruption; }
    public long numRows() { return numRows; }
    public long seed() { return seed; }
    public long stream() { return stream; }
    public int rowsPerBlock() { return rowsPerBlock; }
    public int d() { return distribution.dimension(); }

    /** Labels per row: the teacher's outputs, 1 for XOR clusters (the class), else 0. */
    public int m() {
        if (teacher != null) return teacher.outputDim();
        return distribution instanceof XorClusters ? 1 : 0;
    }

    public long numBlocks() { return (numRows + rowsPerBlock - 1) / rowsPerBlock; }

    /** Rows in block b. */
    public int blockRows(long b) {
        return (int) Math.min(rowsPerBlock, numRows - b * rowsPerBlock);
    }

    /** Workspace for {@link #fill}: one per thread. */
    public Workspace newWorkspace() {
        return new Workspace(distribution.scratchSize(), teacher == null ? 0 : teacher.scratchSize(rowsPerBlock));
    }

    /** A fresh block buffer sized for this source. */
    public Block newBlock() { return new Block(d(), m(), rowsPerBlock); }

    /** Generates block {@code b} into {@code buf} (offline adversary context). */
    public Block fill(long b, Block buf, Workspace ws) {
        if (b < 0 || b >= numBlocks()) throw new IndexOutOfBoundsException("block " + b + " of " + numBlocks());
        return fillRows(b * rowsPerBlock, blockRows(b), buf, ws, AdversaryContext.OFFLINE);
    }

    /**
     * Generates rows [first, first+rows) into {@code buf}. Used directly by online algorithms, whose
     * mini-batch of iteration t is rows [0, b) of stream t, and whose adversary sees the iterate.
     */
    public Block fillRows(long first, int rows, Block buf, Workspace ws, AdversaryContext ctx) {
        return fillRows(stream, first, rows, buf, ws, ctx);
    }

    /** As {@link #fillRows(long, int, Block, Workspace, AdversaryContext)}, from another stream of this source. */
    public Block fillRows(long stream, long first, int rows, Block buf, Workspace ws, AdversaryContext ctx) {
        int d = d(), m = m();
        buf.reset(rows, first);
        double[] x = buf.x();
        CounterRng rng = ws.rng;
        boolean xor = teacher == null && distribution instanceof XorClusters;
        for (int r = 0; r < rows; r++) {
            rng.reset(seed, stream, first + r);
            if (xor) {
                buf.y()[r] = ((XorClusters) distribution).sampleWithClass(rng, x, r * d);
            } else {
                distribution.sampleRow(rng, x, r * d, ws.distScratch);
            }
        }
        if (teacher != null) {
            if (ws.teacherScratch.length < teacher.scratchSize(rows)) ws.teacherScratch = new double[teacher.scratchSize(rows)];
            teacher.label(buf, ws.teacherScratch);
        }
        if (corruption != null && m > 0) {
            long labelSeed = seed ^ LABEL_SALT;
            for (int r = 0; r < rows; r++) {
                rng.reset(labelSeed, stream, first + r);
                corruption.corruptRow(buf, r, first + r, rng, ctx);
            }
        }
        return buf;
    }

    /** A description for truth.json and run outputs. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("distribution", distribution.describe());
        out.put("numRows", numRows);
        out.put("seed", seed);
        out.put("stream", stream);
        out.put("d", d());
        out.put("m", m());
        if (teacher != null) out.put("teacher", teacher.describe());
        if (corruption != null) out.put("corruption", corruption.describe());
        return out;
    }

    /** Per-thread generation workspace (caller-owned, never shared across threads). */
    public static final class Workspace {
        final CounterRng rng = new CounterRng();
        final double[] distScratch;
        double[] teacherScratch;

        Workspace(int distScratch, int teacherScratch) {
            this.distScratch = new double[distScratch];
            this.teacherScratch = new double[teacherScratch];
        }
    }
}
