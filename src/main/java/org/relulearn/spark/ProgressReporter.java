package org.relulearn.spark;

import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of a running job group every interval (tasks done / total, elapsed time), so a
 * long pass is never silent for more than about ten seconds.
 */
final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private final Thread thread;

    private ProgressReporter(Thread thread) {
        this.thread = thread;
    }

    static ProgressReporter start(JavaSparkContext jsc, String group, String description, long intervalMs) {
        if (intervalMs <= 0) return new ProgressReporter(null);
        long t0 = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(intervalMs);
                    int done = 0, total = 0;
                    for (int jobId : jsc.statusTracker().getJobIdsForGroup(group)) {
                        SparkJobInfo job = jsc.statusTracker().getJobInfo(jobId);
                        if (job == null) continue;
                        for (int stageId : job.stageIds()) {
                            SparkStageInfo st = jsc.statusTracker().getStageInfo(stageId);
                            if (st == null) continue;
                            done += st.numCompletedTasks();
                            total += st.numTasks();
                        }
                    }
                    LOG.info(String.format("%s: running, %d/%d tasks done, %.0f s elapsed",
                            description, done, total, (System.nanoTime() - t0) / 1e9));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // Progress is best-effort; a status-tracker hiccup must not fail the job.
            }
        }, "relulearn-progress");
        t.setDaemon(true);
        t.start();
        return new ProgressReporter(t);
    }

    @Override
    public void close() {
        if (thread != null) thread.interrupt();
    }
}
