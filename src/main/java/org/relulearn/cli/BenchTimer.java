package org.relulearn.cli;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The bench's one timing rule: {@code warmups} untimed runs, then {@code runs} timed runs; a figure is
 * the median of the timed wall-clock seconds, reported with its spread
 * <pre>
 *   median = the middle timed run (the mean of the two middle ones for an even count)
 *   spread = (max - min) / median   (0 for a single run)
 * </pre>
 * A warm-up may be a smaller stand-in for the timed run (e.g. the same pass on a tenth of the rows):
 * it is there for JIT compilation, class loading and Spark's closure set-up, not to be measured.
 */
final class BenchTimer {
    private final int warmups;
    private final int runs;

    BenchTimer(int warmups, int runs) {
        if (warmups < 0 || runs < 1) throw new IllegalArgumentException("warm-ups >= 0 and runs >= 1, got " + warmups + ", " + runs);
        this.warmups = warmups;
        this.runs = runs;
    }

    /** One warm-up (when {@code warmup}) and one timed run. */
    static BenchTimer single(boolean warmup) { return new BenchTimer(warmup ? 1 : 0, 1); }

    /** One timed run of {@code run}, no warm-up: the wall time of a whole fit or of caching a data set. */
    static <T> Timing<T> once(Supplier<T> run) { return new BenchTimer(0, 1).time(run); }

    int warmups() { return warmups; }

    int runs() { return runs; }

    /** "median of 3 timed runs after 1 warm-up": how a figure was obtained, for the printed headers and results.json. */
    String describe() {
        String timed = runs == 1 ? "1 timed run" : "median of " + runs + " timed runs";
        return timed + (warmups == 0 ? ", no warm-up" : " after " + warmups + " warm-up" + (warmups == 1 ? "" : "s"));
    }

    /** Called around each timed run (outside its clock), e.g. to meter CPU time or sample the heap. */
    interface RunObserver {
        RunObserver NONE = new RunObserver() {};

        default void beforeRun() {}

        default void afterRun() {}

        /** The run threw; undo whatever {@link #beforeRun} opened. */
        default void abandon() {}
    }

    /** Wall-clock seconds of each timed run and the last run's result. */
    record Timing<T>(T result, double[] seconds) {
        double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        }

        double spread() {
            double max = Arrays.stream(seconds).max().orElse(0), min = Arrays.stream(seconds).min().orElse(0);
            double median = median();
            return median > 0 ? (max - min) / median : 0;
        }

        double total() { return Arrays.stream(seconds).sum(); }
    }

    /** The warm-ups, each a run of {@code run} itself, then the timed runs. */
    <T> Timing<T> time(Supplier<T> run) {
        warmUp(run::get);
        return timeRuns(run, RunObserver.NONE);
    }

    /** Runs {@code warmup} as many times as this timer warms up (none with --no-warmup). */
    void warmUp(Runnable warmup) {
        for (int i = 0; i < warmups; i++) warmup.run();
    }

    /** The timed runs only (warm up first with {@link #warmUp}). */
    <T> Timing<T> timeRuns(Supplier<T> run, RunObserver observer) {
        double[] secs = new double[runs];
        T result = null;
        for (int r = 0; r < runs; r++) {
            observer.beforeRun();
            long t0;
            try {
                t0 = System.nanoTime();
                result = run.get();
                secs[r] = (System.nanoTime() - t0) / 1e9;
            } catch (RuntimeException | Error e) {
                observer.abandon();
                throw e;
            }
            observer.afterRun();
        }
        return new Timing<>(result, secs);
    }

    /**
     * The timed runs of two cases, alternating which goes first in a round (first, second; second, first; ...):
     * a ratio of the two then compares runs made under the same conditions on a machine whose speed drifts
     * with what else runs on it.
     */
    <X, Y> Pair<X, Y> alternate(Supplier<X> first, RunObserver firstObserver, Supplier<Y> second, RunObserver secondObserver) {
        BenchTimer one = new BenchTimer(0, 1);
        double[] xs = new double[runs], ys = new double[runs];
        X x = null;
        Y y = null;
        for (int r = 0; r < runs; r++) {
            if (r % 2 == 0) {
                Timing<X> tx = one.timeRuns(first, firstObserver);
                Timing<Y> ty = one.timeRuns(second, secondObserver);
                x = tx.result();
                y = ty.result();
                xs[r] = tx.seconds()[0];
                ys[r] = ty.seconds()[0];
            } else {
                Timing<Y> ty = one.timeRuns(second, secondObserver);
                Timing<X> tx = one.timeRuns(first, firstObserver);
                x = tx.result();
                y = ty.result();
                xs[r] = tx.seconds()[0];
                ys[r] = ty.seconds()[0];
            }
        }
        return new Pair<>(new Timing<>(x, xs), new Timing<>(y, ys));
    }

    /** The timings of two alternated cases. */
    record Pair<X, Y>(Timing<X> first, Timing<Y> second) {}
}
