package org.relulearn.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.relulearn.data.AdversaryContext;
import org.relulearn.data.Block;
import org.relulearn.data.SyntheticSource;
import org.relulearn.engine.Aggregator;
import org.relulearn.engine.AggregatorFactory;
import org.relulearn.engine.BlockRanges;
import org.relulearn.engine.Data;
import org.relulearn.engine.FixedMergeTree;
import org.relulearn.engine.InMemoryData;
import org.relulearn.engine.LocalPassRunner;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.RowSampler;
import org.relulearn.engine.Shared;
import org.relulearn.engine.SyntheticData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Runs passes as Spark jobs. A synthetic pass parallelises partition slots, each slot generates its
 * contiguous range of blocks into one reused buffer and adds them to its aggregator (nothing is
 * built on the driver, nothing is materialised); a pass over {@link SparkBlockData} adds the cached
 * blocks. The per-partition aggregators are combined by {@code treeReduce} of the configured depth,
 * or, in deterministic mode, by a fixed tree ordered by partition index, which makes the result
 * bit-identical for a given partitioning and depth whatever the number of executors or the timing,
 * and equal to {@link LocalPassRunner} with the same partitions and depth.
 */
public final class SparkPassRunner implements PassRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SparkPassRunner.class);
    private static final AtomicLong JOB_GROUPS = new AtomicLong();

    /** double[] values up to this length are shipped in the task closure instead of broadcast. */
    static final int SMALL_SHARE = 8192;

    private final JavaSparkContext jsc;
    private final RunnerOptions options;

    /** Engine options: partitions for synthetic data (0 = automatic), tree depth, deterministic merge. */
    public record RunnerOptions(int partitions, int depth, boolean deterministic, long progressIntervalMs) implements Serializable {
        public RunnerOptions {
            if (partitions < 0) throw new IllegalArgumentException("partitions must be >= 0 (0 = automatic), got " + partitions);
            if (depth < 1) throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        }

        public static RunnerOptions defaults() { return new RunnerOptions(0, 2, false, 10_000); }

        public RunnerOptions withDeterministic(boolean det) { return new RunnerOptions(partitions, depth, det, progressIntervalMs); }

        public RunnerOptions withPartitions(int p) { return new RunnerOptions(p, depth, deterministic, progressIntervalMs); }
    }

    public SparkPassRunner(SparkSession spark, RunnerOptions options) {
        Sessions.installHadoopConfiguration();   // a library caller's own session: DataPath resolves with its Hadoop configuration
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.options = options;
    }

    public JavaSparkContext context() { return jsc; }

    public RunnerOptions options() { return options; }

    /** Partition slots for a synthetic source: the option, or 4 per core, never more than its blocks. */
    public int partitionsFor(SyntheticSource src) {
        long want = options.partitions() > 0 ? options.partitions() : 4L * jsc.defaultParallelism();
        return (int) Math.max(1, Math.min(want, src.numBlocks()));
    }

    @Override
    public int parallelism() { return jsc.defaultParallelism(); }

    @Override
    public <A extends Aggregator<A>> A aggregate(Data data, AggregatorFactory<A> factory, String description) {
        JavaRDD<A> parts;
        if (data instanceof SyntheticData s) {
            SyntheticSource src = s.source();
            AdversaryContext ctx = s.context();
            int p = partitionsFor(src);
            long nb = src.numBlocks();
            List<Integer> slots = IntStream.range(0, p).boxed().toList();
            parts = jsc.parallelize(slots, p).mapPartitionsWithIndex((idx, ignored) ->
                    Collections.singletonList(LocalPassRunner.aggregateRange(src, ctx,
                            BlockRanges.first(nb, p, idx), BlockRanges.end(nb, p, idx), factory)).iterator(), true);
        } else if (data instanceof SparkBlockData b) {
            parts = b.blocks().mapPartitions(it -> {
                A agg = factory.create();
                while (it.hasNext()) agg.add(it.next());
                return Collections.singletonList(agg).iterator();
            });
        } else if (data instanceof SparkStateData<?> st) {
            return aggregate(st.blocks(), factory, description);
        } else if (data instanceof InMemoryData || data instanceof org.relulearn.engine.PartitionedData
                || data.getClass().getEnclosingClass() == LocalPassRunner.class) {
            return new LocalPassRunner().aggregate(data, factory, description);
        } else {
            throw new IllegalArgumentException("cannot run a pass over " + data.describe());
        }
        return runJob(description, data.numRows(), () -> options.deterministic()
                ? deterministicReduce(parts, options.depth())
                : treeReduce(parts, options.depth()));
    }


    @Override
    public Data cache(org.relulearn.data.SyntheticSource src) {
        return CachedBlocks.cache(this, src);
    }

    @Override
    public void uncache(Data data) {
        if (data instanceof SparkBlockData b) b.blocks().unpersist(false);
    }

    @Override
    public <A extends Aggregator<A>> A aggregateSample(Data data, long rows, long seed, long draw, AggregatorFactory<A> factory,
                                                       String description) {
        if (data instanceof InMemoryData mem) {
            return new LocalPassRunner().aggregateSample(mem, rows, seed, draw, factory, description);
        }
        if (!(data instanceof SparkBlockData b)) {
            throw new IllegalArgumentException("mini-batches with replacement need a fixed data set, not " + data.describe());
        }
        long[] ids = RowSampler.drawRows(b.numRows(), rows, seed, draw);
        int d = b.d(), m = b.m();
        JavaRDD<A> parts = b.blocks().mapPartitions(it -> {
            A agg = factory.create();
            Block batch = RowSampler.gather(it, d, m, ids);
            if (batch.rows() > 0) agg.add(batch);
            return Collections.singletonList(agg).iterator();
        }, true);
        A result = runJob(description, rows, () -> options.deterministic()
                ? deterministicReduce(parts, options.depth())
                : treeReduce(parts, options.depth()));
        if (result.count() != rows) {
            throw new IllegalStateException("a mini-batch of " + rows + " rows gathered " + result.count() + ": the data's row"
                    + " indices are not 0..N-1");
        }
        return result;
    }

    @Override
    public List<Block> gatherSamples(Data data, long rows, long seed, long firstDraw, int draws, String description) {
        if (data instanceof InMemoryData mem) return new LocalPassRunner().gatherSamples(mem, rows, seed, firstDraw, draws, description);
        if (!(data instanceof SparkBlockData b)) {
            throw new IllegalArgumentException("mini-batches with replacement need a fixed data set, not " + data.describe());
        }
        long[][] ids = new long[draws][];
        for (int i = 0; i < draws; i++) ids[i] = RowSampler.drawRows(b.numRows(), rows, seed, firstDraw + i);
        int d = b.d(), m = b.m();
        Broadcast<long[][]> shipped = jsc.broadcast(ids);
        JavaRDD<RowSampler.Gathered[]> parts = b.blocks().mapPartitions(it -> {
            List<Block> held = new ArrayList<>();
            it.forEachRemaining(held::add);
            long[][] all = shipped.value();
            RowSampler.Gathered[] out = new RowSampler.Gathered[all.length];
            for (int i = 0; i < all.length; i++) out[i] = RowSampler.gatherIndexed(held, d, m, all[i]);
            return Collections.singletonList(out).iterator();
        }, true);
        List<RowSampler.Gathered[]> got = runJob(description, rows * draws, parts::collect);
        shipped.destroy();
        List<Block> out = new ArrayList<>(draws);
        for (int i = 0; i < draws; i++) {
            List<RowSampler.Gathered> pieces = new ArrayList<>(got.size());
            for (RowSampler.Gathered[] g : got) pieces.add(g[i]);
            Block batch = RowSampler.ordered(pieces, d, m);
            if (batch.rows() != rows) {
                throw new IllegalStateException("a mini-batch of " + rows + " rows gathered " + batch.rows() + ": the data's row"
                        + " indices are not 0..N-1");
            }
            out.add(batch);
        }
        return out;
    }

    /** treeReduce, or a plain reduce (one job, no shuffle) when few partial results travel. */
    private static <A extends Aggregator<A>> A treeReduce(JavaRDD<A> parts, int depth) {
        int d = FixedMergeTree.treeDepth(parts.getNumPartitions(), depth);
        return d == 1 ? parts.reduce(Aggregator::merge) : parts.treeReduce(Aggregator::merge, d);
    }

    /** Runs one named job with progress logging; logs throughput at the end. */
    private <T> T runJob(String description, long rows, java.util.function.Supplier<T> job) {
        String group = "relulearn-" + JOB_GROUPS.incrementAndGet();
        jsc.setJobGroup(group, description, false);
        long t0 = System.nanoTime();
        try (ProgressReporter ignored = ProgressReporter.start(jsc, group, description, options.progressIntervalMs())) {
            T out = job.get();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (rows > 0) {
                LOG.info(String.format("%s: %,d rows in %.2f s (%,.0f rows/s)", description, rows, secs, rows / secs));
            } else {
                LOG.info(String.format("%s: done in %.2f s", description, secs));
            }
            return out;
        } finally {
            jsc.clearJobGroup();
        }
    }

    /**
     * Merges partition aggregates along the {@link FixedMergeTree}: at each level, partition i goes to
     * group i/fanout and each group merges its members in index order; the last level is merged on
     * the driver in index order -- the same order as {@link LocalPassRunner} with the same depth.
     */
    static <A extends Aggregator<A>> A deterministicReduce(JavaRDD<A> parts, int depth) {
        int p = parts.getNumPartitions();
        int fanout = FixedMergeTree.fanout(p, depth);
        JavaPairRDD<Integer, A> level = parts.mapPartitionsWithIndex((idx, it) -> {
            List<Tuple2<Integer, A>> out = new ArrayList<>(1);
            A acc = null;
            while (it.hasNext()) {
                A a = it.next();
                acc = acc == null ? a : acc.merge(a);
            }
            if (acc != null) out.add(new Tuple2<>(idx, acc));
            return out.iterator();
        }, true).mapToPair(t -> t);
        int width = p;
        while (width > fanout) {
            int groups = (width + fanout - 1) / fanout;
            final int f = fanout;
            level = level.repartitionAndSortWithinPartitions(new GroupPartitioner(groups, f), new IndexOrder())
                    .mapPartitionsWithIndex((g, it) -> mergeInOrder(g, it), true)
                    .mapToPair(t -> t);
            width = groups;
        }
        List<Tuple2<Integer, A>> last = new ArrayList<>(level.collect());
        last.sort(Comparator.comparingInt(Tuple2::_1));
        A total = null;
        for (Tuple2<Integer, A> t : last) total = total == null ? t._2() : total.merge(t._2());
        if (total == null) throw new IllegalStateException("the pass produced no partial result");
        return total;
    }

    private static <A extends Aggregator<A>> Iterator<Tuple2<Integer, A>> mergeInOrder(int group, Iterator<Tuple2<Integer, A>> it) {
        A acc = null;
        while (it.hasNext()) {
            A a = it.next()._2();
            acc = acc == null ? a : acc.merge(a);
        }
        return acc == null ? Collections.emptyIterator() : Collections.singletonList(new Tuple2<>(group, acc)).iterator();
    }

    /** Sends partition index i to group i / fanout. */
    static final class GroupPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int groups;
        private final int fanout;

        GroupPartitioner(int groups, int fanout) {
            this.groups = groups;
            this.fanout = fanout;
        }

        @Override public int numPartitions() { return groups; }
        @Override public int getPartition(Object key) { return FixedMergeTree.groupOf((Integer) key, fanout); }
        @Override public boolean equals(Object o) {
            return o instanceof GroupPartitioner g && g.groups == groups && g.fanout == fanout;
        }
        @Override public int hashCode() { return 31 * groups + fanout; }
    }

    static final class IndexOrder implements Comparator<Integer>, Serializable {
        private static final long serialVersionUID = 1L;
        @Override public int compare(Integer a, Integer b) { return Integer.compare(a, b); }
    }

    /** State versions between checkpoints (lineage cut) of a stateful data set. */
    public static final int STATE_CHECKPOINT_INTERVAL = 10;

    @Override
    public <S extends Serializable> org.relulearn.engine.StateData<S> attachState(Data data,
            org.relulearn.engine.StateInit<S> init, String description) {
        SparkBlockData blocks;
        boolean owns;
        if (data instanceof SparkBlockData b) {
            blocks = b;
            owns = false;
        } else if (data instanceof SyntheticData s) {
            blocks = CachedBlocks.cache(this, s.source());
            owns = true;
        } else if (data instanceof InMemoryData mem) {
            return new LocalPassRunner().attachState(mem, init, description);
        } else {
            throw new IllegalArgumentException("cannot attach state to " + data.describe());
        }
        JavaRDD<ArrayList<S>> initial = blocks.blocks().mapPartitions(it -> {
            ArrayList<S> states = new ArrayList<>();
            while (it.hasNext()) states.add(init.init(it.next()));
            return Collections.singletonList(states).iterator();
        }, true);
        return new SparkStateData<>(blocks, owns, initial);
    }

    /**
     * A copy of a partial aggregate without its transient work buffers (a serialisation round trip):
     * the partial is cached with its partition's states, and an aggregator's per-block buffers can be
     * far larger than its sums.
     */
    @SuppressWarnings("unchecked")
    static <A extends Serializable> A compact(A agg) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(agg);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())) {
                @Override
                protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws java.io.IOException, ClassNotFoundException {
                    return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader());
                }
            }) {
                return (A) in.readObject();
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy a partial aggregate: " + e.getMessage(), e);
        }
    }

    /** One partition's new states and its partial aggregate, persisted together by one job. */
    record StatePartition<S, A>(ArrayList<S> states, A partial) implements Serializable {}

    @Override
    public <S extends Serializable, A extends Aggregator<A>> A updateState(org.relulearn.engine.StateData<S> data,
            org.relulearn.engine.StateUpdate<S, A> update, AggregatorFactory<A> factory, String description) {
        if (!(data instanceof SparkStateData<S> st)) {
            if (data.getClass().getEnclosingClass() == LocalPassRunner.class) {
                return new LocalPassRunner().updateState(data, update, factory, description);
            }
            throw new IllegalArgumentException("cannot update the state of " + data.describe());
        }
        JavaRDD<StatePartition<S, A>> next = st.blocks().blocks().zipPartitions(st.states, (bi, si) -> {
            ArrayList<S> old = si.next();
            ArrayList<S> out = new ArrayList<>(old.size());
            A agg = factory.create();
            int k = 0;
            while (bi.hasNext()) out.add(update.update(bi.next(), old.get(k++), agg));
            if (k != old.size()) throw new IllegalStateException("blocks and states out of step: " + k + " vs " + old.size());
            return Collections.singletonList(new StatePartition<>(out, compact(agg))).iterator();
        });
        next.setName("relulearn state v" + (st.version + 1) + " of " + st.describe());
        next.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        boolean checkpoint = (st.version + 1) % STATE_CHECKPOINT_INTERVAL == 0;
        if (checkpoint) {
            // Cut the lineage (else a lost partition recomputes every version since the start):
            // reliable when the application set a checkpoint directory, else on executor storage.
            if (jsc.getCheckpointDir().isPresent()) next.checkpoint(); else next.rdd().localCheckpoint();
        }
        JavaRDD<A> parts = next.map(StatePartition::partial);
        A total = runJob(description, data.numRows(), () -> options.deterministic()
                ? deterministicReduce(parts, options.depth())
                : treeReduce(parts, options.depth()));
        // The previous version goes, except the last checkpointed one: later versions are rebuilt from it.
        if (st.persisted != null && st.persisted != st.checkpointed) st.persisted.unpersist(false);
        if (checkpoint) {
            if (st.checkpointed != null) st.checkpointed.unpersist(false);
            st.checkpointed = next;
        }
        st.persisted = next;
        st.states = next.map(StatePartition::states);
        st.version++;
        return total;
    }

    @Override
    public <S extends Serializable> void saveState(org.relulearn.engine.StateData<S> data, org.relulearn.fs.DataPath dir, String description) {
        if (!(data instanceof SparkStateData<S> st)) {
            if (data.getClass().getEnclosingClass() == LocalPassRunner.class) {
                new LocalPassRunner().saveState(data, dir, description);
                return;
            }
            throw new IllegalArgumentException("cannot save the state of " + data.describe());
        }
        // The tasks write through the Hadoop FileSystem API with the driver's configuration (DataPath carries it).
        org.relulearn.fs.DataPath target = org.relulearn.fs.DataPath.of(dir.uri(), jsc.hadoopConfiguration(), "the row-state directory");
        int partitions = st.blocks().blocks().getNumPartitions();
        JavaRDD<Integer> written = st.blocks().blocks().zipPartitions(st.states, (bi, si) -> {
            int part = org.apache.spark.TaskContext.getPartitionId();
            ArrayList<S> states = si.next();
            List<Block> blocks = new ArrayList<>();
            while (bi.hasNext()) blocks.add(bi.next());
            org.relulearn.engine.StateFiles.writePartition(target, part, partitions,
                    org.relulearn.engine.StateFiles.blockRows(blocks), states);
            return Collections.singletonList(part).iterator();
        });
        runJob(description, 0, written::count);
    }

    @Override
    public <S extends Serializable> org.relulearn.engine.StateData<S> attachSavedState(Data data, org.relulearn.fs.DataPath dir,
                                                                                      String description) {
        SparkBlockData blocks;
        boolean owns;
        if (data instanceof SparkBlockData b) {
            blocks = b;
            owns = false;
        } else if (data instanceof SyntheticData s) {
            blocks = CachedBlocks.cache(this, s.source());
            owns = true;
        } else if (data instanceof InMemoryData mem) {
            return new LocalPassRunner().attachSavedState(mem, dir, description);
        } else {
            throw new IllegalArgumentException("cannot attach state to " + data.describe());
        }
        org.relulearn.fs.DataPath source = org.relulearn.fs.DataPath.of(dir.uri(), jsc.hadoopConfiguration(), "the row-state directory");
        try {
            org.relulearn.engine.StateFiles.validate(source, blocks.blocks().getNumPartitions(), blocks.numRows());
        } catch (IllegalArgumentException e) {
            if (owns) blocks.blocks().unpersist(false);
            throw e;
        }
        JavaRDD<ArrayList<S>> restored = blocks.blocks().mapPartitionsWithIndex((idx, it) -> {
            org.relulearn.fs.DataPath d = source;
            org.relulearn.engine.StateFiles.Part<S> part = org.relulearn.engine.StateFiles.readPartition(d, idx,
                    Thread.currentThread().getContextClassLoader());
            List<Block> bl = new ArrayList<>();
            while (it.hasNext()) bl.add(it.next());
            org.relulearn.engine.StateFiles.checkRows(part.header(), org.relulearn.engine.StateFiles.blockRows(bl), d);
            return Collections.singletonList(part.states()).iterator();
        }, true);
        return new SparkStateData<>(blocks, owns, restored);
    }

    @Override
    public <T extends Serializable> Shared<T> share(T value) {
        // A small vector travels with each task for less than a broadcast's round trips cost.
        if (value instanceof double[] v && v.length <= SMALL_SHARE) return Shared.local(value);
        return new BroadcastShared<>(jsc.broadcast(value));
    }

    /**
     * Synthetic data: one task generates the rows through a local runner with this runner's partition slots. Blocks held
     * by Spark: each block is tagged with its partition, the RDD is coalesced to one partition (no shuffle: the task reads
     * the cached partitions in order) and the blocks are regrouped by partition, so the local runner's fixed merge tree
     * adds them as this runner's deterministic passes do.
     */
    @Override
    public <R extends Serializable> R inOneTask(Data data, InTaskBody<R> body, String description) {
        int depth = options.depth();
        JavaRDD<InTaskOutcome<R>> job;
        if (data instanceof SyntheticData s) {
            int p = partitionsFor(s.source());
            SyntheticSource src = s.source();
            AdversaryContext ctx = s.context();
            job = jsc.parallelize(List.of(0), 1).map(ignored ->
                    InTaskOutcome.of(() -> body.apply(new LocalPassRunner(p, depth), new SyntheticData(src, ctx))));
        } else if (data instanceof SparkBlockData b) {
            int parts = b.blocks().getNumPartitions();
            int d = b.d(), m = b.m();
            String describe = b.describe();
            job = b.blocks()
                    .mapPartitionsWithIndex((idx, it) -> {
                        List<Tuple2<Integer, Block>> tagged = new ArrayList<>();
                        while (it.hasNext()) tagged.add(new Tuple2<>(idx, it.next()));
                        return tagged.iterator();
                    }, true)
                    .coalesce(1)
                    .mapPartitions(it -> {
                        List<List<Block>> byPartition = new ArrayList<>(parts);
                        for (int i = 0; i < parts; i++) byPartition.add(new ArrayList<>());
                        while (it.hasNext()) {
                            Tuple2<Integer, Block> t = it.next();
                            byPartition.get(t._1()).add(t._2());
                        }
                        org.relulearn.engine.PartitionedData all = new org.relulearn.engine.PartitionedData(d, m, byPartition, describe);
                        return Collections.singletonList(InTaskOutcome.of(() -> body.apply(new LocalPassRunner(1, depth), all))).iterator();
                    });
        } else if (data instanceof InMemoryData || data instanceof org.relulearn.engine.PartitionedData) {
            return body.apply(new LocalPassRunner(1, depth), data);
        } else {
            throw new IllegalArgumentException("cannot run one task over " + data.describe());
        }
        JavaRDD<InTaskOutcome<R>> fixed = job;
        InTaskOutcome<R> out = runJob(description, data.numRows(), () -> fixed.collect().get(0));
        return out.get();
    }

    /** A body's result, or the runtime exception it threw, carried back from the task to be rethrown unchanged. */
    record InTaskOutcome<R>(R value, RuntimeException error) implements Serializable {
        static <R> InTaskOutcome<R> of(java.util.function.Supplier<R> body) {
            try {
                return new InTaskOutcome<>(body.get(), null);
            } catch (RuntimeException e) {
                return new InTaskOutcome<>(null, e);
            }
        }

        R get() {
            if (error != null) throw error;
            return value;
        }
    }

    @Override
    public <I extends Serializable, R extends Serializable> List<R> map(List<I> inputs, TaskFunction<I, R> fn, String description) {
        if (inputs.isEmpty()) return List.of();
        return runJob(description, 0, () -> jsc.parallelize(inputs, inputs.size()).map(fn::apply).collect());
    }
}
