package org.relulearn.cli;

import java.util.Set;

/**
 * One suite of {@code relulearn bench --suite NAME}. An implementation is a picocli mixin: its own
 * {@code @Option} fields (named {@code --<suite>-...}) become options of the bench command and belong to it
 * alone, so setting one while another suite runs is an error. Of the options every suite could read
 * ({@link BenchCommand#SHARED_OPTIONS}) it names those it reads in {@link #sharedOptions()}.
 * A new suite is its class plus one line in {@link BenchCommand#SUITES}.
 */
interface BenchSuite {
    /** The name {@code --suite} takes, e.g. {@code gate}. */
    String name();

    /** What the suite measures, in one line (listed when {@code --suite} names no suite). */
    String description();

    /** The shared bench options this suite reads, of {@link BenchCommand#SHARED_OPTIONS}. */
    Set<String> sharedOptions();

    /** Whether {@code --suite all} runs it. */
    default boolean inAll() { return true; }

    /** Checks the suite's own options before Spark starts; throws a UserInputException naming the cause and the fix. */
    default void validate() {}

    /**
     * Runs the suite: prints its tables through {@code context.out()} (they become its section of bench.md
     * unless it sets {@code context.markdown}) and records its figures in {@code context.results()} (results.json).
     */
    void run(BenchContext context) throws java.io.IOException;
}
