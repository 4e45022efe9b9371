package org.relulearn.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleFunction;

/** The experiments {@code relulearn experiment} knows, each built for a scale factor (1 = the papers' scale). */
public final class Experiments {
    private Experiments() {}

    /** Largest --scale: sample counts grow up to 1000 times. */
    public static final double MAX_SCALE = 1000;

    private static final Map<String, DoubleFunction<Experiment>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(GatePoisoningExperiment.NAME, GatePoisoningExperiment::forScale);
        BY_NAME.put(GateMinibatchExperiment.NAME, GateMinibatchExperiment::forScale);
        BY_NAME.put(MomentsVsSamplesExperiment.NAME, MomentsVsSamplesExperiment::forScale);
        BY_NAME.put(TensorGdExperiment.NAME, TensorGdExperiment::forScale);
        BY_NAME.put(HermiteExperiment.NAME, HermiteExperiment::forScale);
        BY_NAME.put(ConvexVsSgdExperiment.NAME, ConvexVsSgdExperiment::forScale);
        BY_NAME.put(XorGrokkingExperiment.NAME, XorGrokkingExperiment::forScale);
        BY_NAME.put(SgdSharpnessExperiment.NAME, SgdSharpnessExperiment::forScale);
    }

    public static Map<String, DoubleFunction<Experiment>> all() { return BY_NAME; }

    /**
     * @throws IllegalArgumentException for an unknown name or a scale outside [1e-3, 1000]
     */
    public static Experiment create(String name, double scale) {
        DoubleFunction<Experiment> f = BY_NAME.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown experiment '" + name + "': use one of " + BY_NAME.keySet()
                    + " (relulearn experiment list)");
        }
        if (!(scale >= 1e-3 && scale <= MAX_SCALE)) {
            throw new IllegalArgumentException("--scale must be in [0.001, " + (int) MAX_SCALE + "], got " + scale
                    + "; 1 runs the papers' scale, larger values multiply the sample counts");
        }
        return f.apply(scale);
    }
}
