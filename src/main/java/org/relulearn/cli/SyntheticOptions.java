package org.relulearn.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.relulearn.data.AdditiveNoise;
import org.relulearn.data.Adversary;
import org.relulearn.data.Block;
import org.relulearn.data.Distributions;
import org.relulearn.data.InputDistribution;
import org.relulearn.data.LabelCorruption;
import org.relulearn.data.LabelFlips;
import org.relulearn.data.OnlinePoisoning;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.Teacher;
import org.relulearn.data.Teachers;
import org.relulearn.error.UserInputException;
import picocli.CommandLine.Option;

/** A synthetic data set: input law, teacher, label corruption, size and seed. */
public class SyntheticOptions {
    @Option(names = "--distribution", defaultValue = "gaussian",
            description = "Input law: " + Distributions.NAMES + "; parameters as name:key=value,... Default: ${DEFAULT-VALUE}.")
    public String distribution;

    @Option(names = {"-d", "--dim"}, defaultValue = "20", description = "Input dimension d. Default: ${DEFAULT-VALUE}.")
    public int d;

    @Option(names = {"-n", "--samples"}, description = "Number of samples N (default: 1,000,000; the demo: 10,000,000).")
    public Long n;

    /** Defaults a command sets before parsing: its teacher kind and sample count. */
    private String defaultTeacher = "network";
    private long defaultSamples = 1_000_000L;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and the teacher. Default: ${DEFAULT-VALUE}.")
    public long seed;

    @Option(names = "--stream", defaultValue = "0", description = "Stream id (independent sample sets under one seed).")
    public long stream;

    @Option(names = "--teacher", description = "none, gate or network (default: network; train gate: gate).")
    public String teacher;

    /** Sets this command's defaults for --teacher and --samples (used when they are not given). */
    public SyntheticOptions defaults(String teacherKind, long samples) {
        this.defaultTeacher = teacherKind;
        this.defaultSamples = samples;
        return this;
    }

    public String teacherKind() { return teacher != null ? teacher : defaultTeacher; }

    public long samples() { return n != null ? n : defaultSamples; }

    @Option(names = {"-k", "--hidden"}, defaultValue = "4", description = "Hidden units k of a network teacher. Default: ${DEFAULT-VALUE}.")
    public int k;

    @Option(names = {"-m", "--outputs"}, defaultValue = "1", description = "Outputs m of a network teacher. Default: ${DEFAULT-VALUE}.")
    public int m;

    @Option(names = "--teacher-seed", description = "Seed of the teacher parameters (default: --seed).")
    public Long teacherSeed;

    @Option(names = "--unit-rows", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Unit-norm teacher rows (gate: unit-norm w*). Default: ${DEFAULT-VALUE}.")
    public boolean unitRows;

    @Option(names = "--condition", defaultValue = "0", description = "Condition number of W (> 1 sets singular values 1 .. 1/condition).")
    public double condition;

    @Option(names = "--bias-scale", defaultValue = "0", description = "Teacher biases ~ N(0, s^2); 0 = no biases.")
    public double biasScale;

    @Option(names = "--noise", defaultValue = "0", description = "Standard deviation of additive Gaussian label noise.")
    public double noise;

    @Option(names = "--noise-covariance", description = "CSV file with the m x m label-noise covariance (overrides --noise).")
    public String noiseCovariance;

    @Option(names = "--covariance", description = "CSV file with a d x d input covariance: x ~ N(0, C) (gaussian only).")
    public String covariance;

    @Option(names = "--mixing", description = "CSV file with a d x p mixing matrix M: x = M z, z from --distribution in R^p.")
    public String mixing;

    @Option(names = "--beta", defaultValue = "0", description = "Online poisoning: attack probability beta.")
    public double beta;

    @Option(names = "--theta", defaultValue = "0", description = "Online poisoning: attack magnitude theta*.")
    public double theta;

    @Option(names = "--adversary", defaultValue = "alternating", description = "alternating, random-sign or aligned.")
    public String adversary;

    @Option(names = "--flip-prob", defaultValue = "0", description = "Classification label flips with this probability.")
    public double flipProb;

    public InputDistribution inputDistribution() {
        if (d < 1) throw new UserInputException("--dim must be >= 1, got " + d);
        if (mixing != null) {
            double[][] mix = readMatrix(mixing, "--mixing");
            int p = mix[0].length;
            if (mix.length != d) {
                throw new UserInputException("--mixing " + mixing + " has " + mix.length + " rows but --dim is " + d
                        + ": give a d x p matrix");
            }
            return Distributions.mixed(flatten(mix), d, Distributions.parse(distribution, p));
        }
        if (covariance != null) {
            if (!distribution.toLowerCase(Locale.ROOT).startsWith("gaussian")) {
                throw new UserInputException("--covariance applies to the gaussian distribution; for other laws use --mixing");
            }
            double[][] c = readMatrix(covariance, "--covariance");
            if (c.length != d || c[0].length != d) {
                throw new UserInputException("--covariance " + covariance + " is " + c.length + " x " + c[0].length
                        + " but --dim is " + d + ": give a d x d matrix");
            }
            return Distributions.withCovariance(flatten(c), d);
        }
        return Distributions.parse(distribution, d);
    }

    public Teacher teacher() {
        long ts = teacherSeed != null ? teacherSeed : seed;
        String kind = teacherKind();
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "gate" -> Teachers.randomGate(d, ts, unitRows);
            case "network" -> {
                if (k < 1) throw new UserInputException("--hidden must be >= 1, got " + k);
                if (m < 1) throw new UserInputException("--outputs must be >= 1, got " + m);
                yield Teachers.randomNetwork(d, k, m, ts, unitRows, condition, biasScale);
            }
            default -> throw new UserInputException("unknown --teacher '" + kind + "': use none, gate or network");
        };
    }

    public LabelCorruption corruption(int labelDim) {
        List<LabelCorruption> parts = new ArrayList<>();
        if (noiseCovariance != null) {
            double[][] c = readMatrix(noiseCovariance, "--noise-covariance");
            if (c.length != labelDim || c[0].length != labelDim) {
                throw new UserInputException("--noise-covariance must be " + labelDim + " x " + labelDim + " (one row per output)");
            }
            parts.add(AdditiveNoise.withCovariance(labelDim, flatten(c)));
        } else if (noise > 0) {
            parts.add(AdditiveNoise.isotropic(labelDim, noise));
        } else if (noise < 0) {
            throw new UserInputException("--noise must be >= 0, got " + noise);
        }
        if (beta > 0 || theta > 0) parts.add(new OnlinePoisoning(beta, theta, Adversary.parse(adversary)));
        if (flipProb > 0) parts.add(new LabelFlips(flipProb));
        if (parts.isEmpty()) return null;
        if (labelDim == 0) throw new UserInputException("label noise, poisoning or flips need labels: choose a --teacher");
        return parts.size() == 1 ? parts.get(0) : new LabelCorruption.Chain(parts);
    }

    /** The source, with rows per block from the byte budget. */
    public SyntheticSource source(long blockBytes) {
        long n = samples();
        if (n < 1) throw new UserInputException("--samples must be >= 1, got " + n);
        InputDistribution dist = inputDistribution();
        Teacher t = teacher();
        int labelDim = t != null ? t.outputDim() : (dist instanceof org.relulearn.data.XorClusters ? 1 : 0);
        LabelCorruption c = corruption(labelDim);
        int rows = Block.rowsForBudget(d, labelDim, blockBytes);
        return new SyntheticSource(dist, t, c, n, seed, stream, rows);
    }

    static double[] flatten(double[][] a) {
        int c = a[0].length;
        double[] out = new double[a.length * c];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, out, i * c, c);
        return out;
    }

    /** Reads a small dense matrix from a CSV file (no header; commas or whitespace): a path or URI on any file system. */
    static double[][] readMatrix(String location, String option) {
        return readMatrix(org.relulearn.fs.DataPath.of(location, option));
    }

    private static double[][] readMatrix(org.relulearn.fs.DataPath file) {
        List<String> lines;
        try {
            lines = new String(file.readBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserInputException("matrix file " + file + " does not exist: check the path");
        } catch (IOException e) {
            if (!file.isLocal()) throw org.relulearn.fs.DataPath.error("matrix file " + file, "cannot read it", e, "check the path");
            throw new UserInputException("cannot read matrix file " + file + " (" + e + "): check the path and its permissions");
        }
        List<double[]> rows = new ArrayList<>();
        int width = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] cells = line.split("[,\\s]+");
            if (width >= 0 && cells.length != width) {
                throw new UserInputException(file + " line " + (i + 1) + ": " + cells.length + " values, expected " + width);
            }
            width = cells.length;
            double[] r = new double[width];
            for (int j = 0; j < width; j++) {
                try {
                    r[j] = Double.parseDouble(cells[j]);
                } catch (NumberFormatException e) {
                    throw new UserInputException(file + " line " + (i + 1) + " column " + (j + 1) + ": '" + cells[j] + "' is not a number");
                }
                if (!Double.isFinite(r[j])) {
                    throw new UserInputException(file + " line " + (i + 1) + " column " + (j + 1) + ": non-finite value " + cells[j]);
                }
            }
            rows.add(r);
        }
        if (rows.isEmpty()) throw new UserInputException("matrix file " + file + " is empty");
        return rows.toArray(new double[0][]);
    }
}
