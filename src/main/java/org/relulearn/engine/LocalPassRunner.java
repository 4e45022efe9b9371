package org.relulearn.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.relulearn.data.AdversaryContext;
import org.relulearn.data.Block;
import org.relulearn.data.SyntheticSource;

/**
 * Runs passes in the calling thread, with no Spark. Synthetic data is split into {@code partitions}
 * contiguous block ranges exactly as the Spark runner splits it, one aggregator per range, and the
 * range aggregators are merged along the {@link FixedMergeTree} of the given depth -- so for the
 * same partitioning and depth the result is bit-identical to the Spark runner's deterministic mode.
 */
public final class LocalPassRunner implements PassRunner {
    /** The default aggregation depth, the same as the Spark runner's default. */
    public static final int DEFAULT_DEPTH = 2;

    private final int partitions;
    private final int depth;

    public LocalPassRunner() { this(1); }

    public LocalPassRunner(int partitions) { this(partitions, DEFAULT_DEPTH); }

    /** {@code partitions} block ranges merged along the fixed tree of depth {@code depth}. */
    public LocalPassRunner(int partitions, int depth) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        if (depth < 1) throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        this.partitions = partitions;
        this.depth = depth;
    }

    @Override
    public <A extends Aggregator<A>> A aggregate(Data data, AggregatorFactory<A> factory, String description) {
        if (data instanceof SyntheticData s) {
            SyntheticSource src = s.source();
            long nb = src.numBlocks();
            int p = (int) Math.min(partitions, nb);
            List<A> parts = new ArrayList<>(p);
            for (int i = 0; i < p; i++) {
                parts.add(aggregateRange(src, s.context(), BlockRanges.first(nb, p, i), BlockRanges.end(nb, p, i), factory));
            }
            return FixedMergeTree.reduce(parts, depth);
        }
        if (data instanceof InMemoryData mem) {
            A agg = factory.create();
            for (Block b : mem.blocks()) agg.add(b);
            return agg;
        }
        if (data instanceof PartitionedData pd) {
            List<A> parts = new ArrayList<>(pd.partitions().size());
            for (List<Block> p : pd.partitions()) {
                A agg = factory.create();
                for (Block b : p) agg.add(b);
                parts.add(agg);
            }
            return FixedMergeTree.reduce(parts, depth);
        }
        if (data instanceof LocalStateData<?> st) return aggregate(st.blocks(), factory, description);
        throw new IllegalArgumentException("the local runner cannot read " + data.describe());
    }

    @Override
    public <A extends Aggregator<A>> A aggregateSample(Data data, long rows, long seed, long draw, AggregatorFactory<A> factory,
                                                       String description) {
        if (!(data instanceof InMemoryData mem)) {
            throw new IllegalArgumentException("the local runner samples mini-batches from in-memory data only, not " + data.describe());
        }
        long[] ids = RowSampler.drawRows(mem.numRows(), rows, seed, draw);
        A agg = factory.create();
        Block batch = RowSampler.gather(mem.blocks().iterator(), mem.d(), mem.m(), ids);
        if (batch.rows() != rows) {
            throw new IllegalStateException("a mini-batch of " + rows + " rows gathered " + batch.rows() + ": the data's row indices"
                    + " are not 0..N-1");
        }
        agg.add(batch);
        return agg;
    }

    @Override
    public List<Block> gatherSamples(Data data, long rows, long seed, long firstDraw, int draws, String description) {
        if (!(data instanceof InMemoryData mem)) {
            throw new IllegalArgumentException("the local runner samples mini-batches from in-memory data only, not " + data.describe());
        }
        List<Block> out = new java.util.ArrayList<>(draws);
        for (int i = 0; i < draws; i++) {
            long[] ids = RowSampler.drawRows(mem.numRows(), rows, seed, firstDraw + i);
            Block b = RowSampler.ordered(List.of(RowSampler.gatherIndexed(mem.blocks(), mem.d(), mem.m(), ids)), mem.d(), mem.m());
            if (b.rows() != rows) {
                throw new IllegalStateException("a mini-batch of " + rows + " rows gathered " + b.rows() + ": the data's row indices"
                        + " are not 0..N-1");
            }
            out.add(b);
        }
        return out;
    }

    /** Aggregates synthetic blocks [from, to) with one reused buffer: shared by every runner. */
    public static <A extends Aggregator<A>> A aggregateRange(SyntheticSource src, AdversaryContext ctx, long from, long to,
                                                             AggregatorFactory<A> factory) {
        A agg = factory.create();
        SyntheticSource.Workspace ws = src.newWorkspace();
        Block buf = src.newBlock();
        int r = src.rowsPerBlock();
        for (long b = from; b < to; b++) agg.add(src.fillRows(b * r, src.blockRows(b), buf, ws, ctx));
        return agg;
    }

    @Override
    public <T extends Serializable> Shared<T> share(T value) { return Shared.local(value); }

    /** Already local: the body runs here, on this runner. */
    @Override
    public <R extends Serializable> R inOneTask(Data data, InTaskBody<R> body, String description) {
        return body.apply(this, data);
    }

    @Override
    public <S extends Serializable> StateData<S> attachState(Data data, StateInit<S> init, String description) {
        return new LocalStateData<>(materialise(data), init);
    }

    @Override
    public Data cache(SyntheticSource src) {
        List<Block> blocks = new ArrayList<>();
        SyntheticSource.Workspace ws = src.newWorkspace();
        for (long b = 0; b < src.numBlocks(); b++) blocks.add(src.fill(b, new Block(src.d(), src.m(), src.blockRows(b)), ws));
        return new InMemoryData(src.d(), src.m(), blocks);
    }

    /** The data as partitions of blocks: synthetic ranges as the Spark runner caches them. */
    public PartitionedData materialise(Data data) {
        if (data instanceof PartitionedData pd) return pd;
        if (data instanceof InMemoryData mem) return new PartitionedData(mem.d(), mem.m(), List.of(mem.blocks()), mem.describe());
        if (data instanceof SyntheticData s) {
            SyntheticSource src = s.source();
            long nb = src.numBlocks();
            int p = (int) Math.min(partitions, nb);
            List<List<Block>> parts = new ArrayList<>(p);
            SyntheticSource.Workspace ws = src.newWorkspace();
            for (int i = 0; i < p; i++) {
                List<Block> blocks = new ArrayList<>();
                for (long b = BlockRanges.first(nb, p, i); b < BlockRanges.end(nb, p, i); b++) {
                    blocks.add(src.fill(b, new Block(src.d(), src.m(), src.blockRows(b)), ws));
                }
                parts.add(blocks);
            }
            return new PartitionedData(src.d(), src.m(), parts, "materialised " + s.describe());
        }
        throw new IllegalArgumentException("the local runner cannot attach state to " + data.describe());
    }

    @Override
    public <S extends Serializable, A extends Aggregator<A>> A updateState(StateData<S> data, StateUpdate<S, A> update,
                                                                          AggregatorFactory<A> factory, String description) {
        if (!(data instanceof LocalStateData<S> st)) {
            throw new IllegalArgumentException("the local runner cannot update " + data.describe());
        }
        List<A> parts = new ArrayList<>();
        List<List<Block>> blocks = st.blocks().partitions();
        for (int p = 0; p < blocks.size(); p++) {
            A agg = factory.create();
            List<S> states = st.states(p);
            for (int k = 0; k < blocks.get(p).size(); k++) states.set(k, update.update(blocks.get(p).get(k), states.get(k), agg));
            parts.add(agg);
        }
        st.advance();
        return FixedMergeTree.reduce(parts, depth);
    }

    @Override
    public <S extends Serializable> void saveState(StateData<S> data, org.relulearn.fs.DataPath dir, String description) {
        if (!(data instanceof LocalStateData<S> st)) {
            throw new IllegalArgumentException("the local runner cannot save the state of " + data.describe());
        }
        List<List<Block>> blocks = st.blocks().partitions();
        for (int p = 0; p < blocks.size(); p++) {
            StateFiles.writePartition(dir, p, blocks.size(), StateFiles.blockRows(blocks.get(p)), st.states(p));
        }
    }

    @Override
    public <S extends Serializable> StateData<S> attachSavedState(Data data, org.relulearn.fs.DataPath dir, String description) {
        PartitionedData pd = materialise(data);
        List<List<Block>> blocks = pd.partitions();
        StateFiles.validate(dir, blocks.size(), pd.numRows());
        List<List<S>> states = new ArrayList<>(blocks.size());
        for (int p = 0; p < blocks.size(); p++) {
            StateFiles.Part<S> part = StateFiles.readPartition(dir, p, Thread.currentThread().getContextClassLoader());
            StateFiles.checkRows(part.header(), StateFiles.blockRows(blocks.get(p)), dir);
            states.add(part.states());
        }
        LocalStateData<S> st = new LocalStateData<>(pd, b -> {
            throw new IllegalStateException("a restored state has no initial value");
        });
        st.states = states;
        return st;
    }

    /** States held next to in-memory partitions of blocks. */
    static final class LocalStateData<S extends Serializable> implements StateData<S> {
        private final PartitionedData blocks;
        private final StateInit<S> init;
        private List<List<S>> states;
        private int version;

        LocalStateData(PartitionedData blocks, StateInit<S> init) {
            this.blocks = blocks;
            this.init = init;
        }

        List<S> states(int partition) {
            if (states == null) {
                states = new ArrayList<>();
                for (List<Block> p : blocks.partitions()) {
                    List<S> s = new ArrayList<>(p.size());
                    for (Block b : p) s.add(init.init(b));
                    states.add(s);
                }
            }
            return states.get(partition);
        }

        void advance() { version++; }

        @Override public PartitionedData blocks() { return blocks; }
        @Override public int version() { return version; }
        @Override public void release() { states = null; }
        @Override public int d() { return blocks.d(); }
        @Override public int m() { return blocks.m(); }
        @Override public long numRows() { return blocks.numRows(); }
        @Override public String describe() { return "stateful " + blocks.describe(); }
    }

    @Override
    public <I extends Serializable, R extends Serializable> List<R> map(List<I> inputs, TaskFunction<I, R> fn, String description) {
        List<R> out = new ArrayList<>(inputs.size());
        for (I in : inputs) {
            try {
                out.add(fn.apply(in));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(description + ": task failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public int parallelism() { return partitions; }
}
