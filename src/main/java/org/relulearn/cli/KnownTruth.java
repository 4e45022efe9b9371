package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.relulearn.algo.moments.LinearPart;
import org.relulearn.data.InputDistribution;
import org.relulearn.data.OneHiddenLayerNetwork;
import org.relulearn.data.ReluGate;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teacher;
import org.relulearn.error.UserInputException;
import org.relulearn.linalg.Dense;

/**
 * The exact population quantities a moment pass is checked against: E[x], E[x x^T] (row-major
 * d x d, absent when not stored), whether x and -x have the same law, and the linear part
 * B = (1/2) A W of a bias-free teacher (m x d; for a ReLU gate w/2), absent when it does not apply.
 *
 * <p>Built from a {@link SyntheticSource}, or read back from the {@code exact} section that
 * {@code generate} writes into truth.json, so data read from files is checked like a stream.
 * The second moment is stored only for d <= {@value #MAX_STORED_DIM} (it has d^2 entries).
 */
public record KnownTruth(int d, int m, double[] meanX, double[] secondX, boolean symmetric, double[] linearPart) {
    public static final int MAX_STORED_DIM = 512;

    public static KnownTruth of(SyntheticSource src) {
        InputDistribution dist = src.distribution();
        Teacher t = src.teacher();
        double[] b = null;
        if (t instanceof ReluGate g) {
            b = g.weights();
            for (int i = 0; i < b.length; i++) b[i] *= 0.5;
        } else if (t instanceof OneHiddenLayerNetwork net && Dense.norm(net.biases()) == 0) {
            b = LinearPart.ofTeacher(net.outputWeights(), net.weights(), net.outputDim(), net.hiddenUnits(), net.inputDim());
        }
        return new KnownTruth(src.d(), src.m(), dist.mean(), dist.secondMoment(), dist.symmetric(), b);
    }

    /** The {@code exact} section of truth.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meanX", meanX);
        if (secondX != null && d <= MAX_STORED_DIM) out.put("secondMomentX", rows(secondX, d, d));
        out.put("symmetric", symmetric);
        if (linearPart != null) out.put("linearPart", rows(linearPart, m, d));
        return out;
    }

    /**
     * Reads a truth.json map (the {@link SyntheticSource#describe()} keys plus {@code exact});
     * null if it has no {@code exact} section.
     *
     * @throws UserInputException if the section is malformed
     */
    public static KnownTruth fromJson(Map<String, Object> truth, String file) {
        Object e = truth.get("exact");
        if (!(e instanceof Map<?, ?> exact)) return null;
        try {
            int d = ((Number) truth.get("d")).intValue();
            int m = ((Number) truth.get("m")).intValue();
            double[] mean = vector(exact.get("meanX"), d);
            double[] second = exact.containsKey("secondMomentX") ? matrix(exact.get("secondMomentX"), d, d) : null;
            boolean symmetric = Boolean.TRUE.equals(exact.get("symmetric"));
            double[] b = exact.containsKey("linearPart") ? matrix(exact.get("linearPart"), m, d) : null;
            return new KnownTruth(d, m, mean, second, symmetric, b);
        } catch (RuntimeException ex) {
            throw new UserInputException(file + " is malformed (" + ex + "): its 'exact' section must hold meanX (d numbers),"
                    + " secondMomentX (d x d) and linearPart (m x d) as written by relulearn generate; regenerate or remove it");
        }
    }

    private static double[] vector(Object o, int n) {
        List<?> l = (List<?>) o;
        if (l.size() != n) throw new IllegalArgumentException("expected " + n + " values, found " + l.size());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = ((Number) l.get(i)).doubleValue();
        return v;
    }

    private static double[] matrix(Object o, int r, int c) {
        List<?> l = (List<?>) o;
        if (l.size() != r) throw new IllegalArgumentException("expected " + r + " rows, found " + l.size());
        double[] v = new double[r * c];
        for (int i = 0; i < r; i++) System.arraycopy(vector(l.get(i), c), 0, v, i * c, c);
        return v;
    }

    private static double[][] rows(double[] flat, int r, int c) {
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
