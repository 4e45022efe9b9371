package org.relulearn.spark;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * Sums the executor CPU time and run time of every task of the jobs started while a measurement is
 * open. CPU time is what a pass costs whatever else runs on the machine, so on a shared box it is
 * the fair figure next to wall-clock time. Jobs are attributed through a local property the driver
 * thread sets; since listener events arrive asynchronously, {@link #end} runs a one-task marker
 * job and waits for its end event, which the listener bus delivers after every earlier event.
 */
public final class TaskCpuMeter extends SparkListener {
    private static final String TAG = "relulearn.meter";
    private static final AtomicLong IDS = new AtomicLong();

    private final JavaSparkContext jsc;
    private final Map<Integer, String> stageTags = new ConcurrentHashMap<>();
    private final Map<Integer, String> jobTags = new ConcurrentHashMap<>();
    private final Map<String, long[]> totals = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> markers = new ConcurrentHashMap<>();

    /** Executor CPU and run time of a measurement's tasks. */
    public record Usage(double cpuSeconds, double runSeconds, long tasks) {}

    private TaskCpuMeter(JavaSparkContext jsc) {
        this.jsc = jsc;
    }

    /** Registers a meter with the context's listener bus. */
    public static TaskCpuMeter install(JavaSparkContext jsc) {
        TaskCpuMeter m = new TaskCpuMeter(jsc);
        jsc.sc().addSparkListener(m);
        return m;
    }

    /** Stops listening. */
    public void remove() {
        jsc.sc().removeSparkListener(this);
    }

    /** Opens a measurement: jobs the calling thread starts from now on count towards it. */
    public String begin() {
        String tag = "m" + IDS.incrementAndGet();
        totals.put(tag, new long[3]);
        jsc.setLocalProperty(TAG, tag);
        return tag;
    }

    /** Stops attributing the calling thread's jobs to any measurement (after a failed pass). */
    public void abandon() {
        jsc.setLocalProperty(TAG, null);
    }

    /** Closes the measurement and returns its tasks' usage once every event has arrived (at most 30 s). */
    public Usage end(String tag) {
        String marker = "marker:" + tag;
        CountDownLatch latch = new CountDownLatch(1);
        markers.put(marker, latch);
        jsc.setLocalProperty(TAG, marker);
        try {
            jsc.parallelize(List.of(1), 1).count();
        } finally {
            jsc.setLocalProperty(TAG, null);
        }
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("Spark listener events did not arrive within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Spark listener events", e);
        } finally {
            markers.remove(marker);
        }
        long[] t = totals.remove(tag);
        return new Usage(t[0] / 1e9, t[1] / 1e3, t[2]);
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        String tag = job.properties() == null ? null : job.properties().getProperty(TAG);
        if (tag == null) return;
        jobTags.put(job.jobId(), tag);
        for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())) stageTags.put((Integer) stage, tag);
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted completed) {
        StageInfo stage = completed.stageInfo();
        String tag = stageTags.remove(stage.stageId());
        long[] t = tag == null ? null : totals.get(tag);
        if (t == null || stage.taskMetrics() == null) return;
        TaskMetrics m = stage.taskMetrics();
        synchronized (t) {
            t[0] += m.executorCpuTime() + m.executorDeserializeCpuTime();
            t[1] += m.executorRunTime();
            t[2] += stage.numTasks();
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd job) {
        String tag = jobTags.remove(job.jobId());
        if (tag == null) return;
        CountDownLatch latch = markers.get(tag);
        if (latch != null) latch.countDown();
    }
}
