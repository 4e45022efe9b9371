package org.relulearn.engine;

import java.io.Serializable;
import java.util.List;

/**
 * Runs passes over data. The algorithms are written against this interface only; the Spark
 * implementation runs a pass as one named job (block generation or a cached RDD, per-partition
 * aggregation, treeAggregate to the driver) and {@link LocalPassRunner} runs the same code in one
 * thread for unit tests -- which is also how "distributed equals local" is tested.
 */
public interface PassRunner {

    /**
     * One pass: every block of {@code data} is added to an aggregator built by {@code factory}
     * where the block is, and the partial aggregators are merged into one on the driver.
     *
     * @param description what the pass is, e.g. {@code "moments: pass 1/3"} (the Spark job name)
     */
    <A extends Aggregator<A>> A aggregate(Data data, AggregatorFactory<A> factory, String description);

    /**
     * One pass over a mini-batch of exactly {@code rows} rows drawn uniformly with replacement from
     * {@code data} (see {@link RowSampler}); draw number {@code draw} under {@code seed} always gives
     * the same rows for the same partitioning. Used by online algorithms on fixed data sets.
     */
    <A extends Aggregator<A>> A aggregateSample(Data data, long rows, long seed, long draw, AggregatorFactory<A> factory,
                                                String description);

    /**
     * The mini-batches of draws {@code firstDraw .. firstDraw + draws - 1} (as {@link #aggregateSample}
     * draws them: {@code rows} rows each, uniformly with replacement), fetched to the driver in one
     * job, each as one block in ascending global row index. For online algorithms whose batches are
     * small: many iterations' rows cost one job instead of one job each.
     */
    java.util.List<org.relulearn.data.Block> gatherSamples(Data data, long rows, long seed, long firstDraw, int draws, String description);

    /** Ships a read-only value to the workers once. */
    <T extends Serializable> Shared<T> share(T value);

    /**
     * Runs independent tasks in parallel (a sweep's runs, a streaming segment) and returns their
     * results in input order.
     */
    <I extends Serializable, R extends Serializable> List<R> map(List<I> inputs, TaskFunction<I, R> fn, String description);

    /**
     * Pairs every block of {@code data} with a state made by {@code init} (lazily: it is built by the
     * first {@link #updateState}). Synthetic data is materialised once in the runner's partitions, so
     * the state stays aligned with its block. Release the handle when done.
     */
    <S extends Serializable> StateData<S> attachState(Data data, StateInit<S> init, String description);

    /**
     * One pass that replaces every block's state by {@code update(block, state, aggregator)} and
     * returns the merged aggregator. The new states are kept where the blocks are (a persisted RDD
     * under Spark, its lineage cut by a checkpoint every few versions) and the previous version is
     * released, so an iterative algorithm costs one pass per iteration.
     */
    <S extends Serializable, A extends Aggregator<A>> A updateState(StateData<S> data, StateUpdate<S, A> update,
                                                                   AggregatorFactory<A> factory, String description);

    /**
     * Writes every block's current state under {@code dir}, one file per partition written where the
     * partition is ({@link StateFiles}; no state passes through the driver), for a training-state
     * checkpoint. {@code dir} must be visible to the driver and every worker (a shared file system:
     * hdfs://, s3a://, ...; it carries the driver's Hadoop configuration to them).
     */
    <S extends Serializable> void saveState(StateData<S> data, org.relulearn.fs.DataPath dir, String description);

    /**
     * As {@link #attachState}, but the states are read back from a {@link #saveState} directory
     * written for the same data in the same partitions (checked on the driver: partition count and
     * rows; an IllegalArgumentException names the difference and the fix).
     */
    <S extends Serializable> StateData<S> attachSavedState(Data data, org.relulearn.fs.DataPath dir, String description);

    /**
     * Generates every row of {@code src} once and keeps them where the runner keeps data (in memory
     * locally, a persisted RDD under Spark), for algorithms that revisit a fixed data set by
     * mini-batches; {@link #uncache} releases it.
     */
    Data cache(org.relulearn.data.SyntheticSource src);

    /** Releases data made by {@link #cache} (a no-op for anything else). */
    default void uncache(Data data) {}

    /**
     * Runs {@code body} once, inside one task where the data are, over a {@link LocalPassRunner} that sees the whole
     * data set in this runner's partitions (so its passes sum in the order of this runner's deterministic passes).
     * Only the body's result travels to the caller; the data stay where they are. For iterative solvers on small data,
     * whose tens of passes would otherwise pay one job each. A {@link RuntimeException} the body throws (a bad option,
     * a refusal) is rethrown to the caller as it is.
     */
    <R extends Serializable> R inOneTask(Data data, InTaskBody<R> body, String description);

    /** Parallelism the runner offers (cores or default partitions). */
    int parallelism();

    /** The work {@link #inOneTask} runs: a local runner and the data as it can read them. */
    @FunctionalInterface
    interface InTaskBody<R> extends Serializable {
        R apply(PassRunner local, Data data);
    }

    @FunctionalInterface
    interface TaskFunction<I, R> extends Serializable {
        R apply(I input) throws Exception;
    }
}
