package org.relulearn.experiment;

import org.relulearn.engine.PassRunner;
import org.relulearn.report.ExperimentReport;

/**
 * One study that makes an algorithm's theory visible: it runs fits through a {@link PassRunner}
 * (so sweeps are Spark tasks and passes are distributed) and returns an {@link ExperimentReport}
 * with tables, figures that put the theory beside the measurement, and checks against the
 * reference values of the family's docs page.
 */
public interface Experiment {
    /** The CLI name ({@code relulearn experiment <name>}). */
    String name();

    /** One line: what it shows. */
    String summary();

    ExperimentReport run(PassRunner runner);
}
