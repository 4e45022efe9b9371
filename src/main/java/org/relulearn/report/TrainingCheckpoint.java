package org.relulearn.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import org.relulearn.error.UserInputException;
import org.relulearn.fs.DataPath;

/**
 * Training-state checkpoints of an iterative algorithm (gate, gradient descent, ADMM), so that a
 * killed run can be continued with {@code --resume DIR} and reach the same final model.
 *
 * <p>Layout: one file {@code DIR/checkpoint.json}, replaced atomically ({@link DataPath#replace}:
 * on local disk and HDFS written to a temporary sibling, forced to disk, then renamed over the old
 * one; on an object store one overwriting write, visible as a whole), so a reader sees either the
 * previous or the new checkpoint, never a partial one, and never none. DIR may be on any file
 * system (a path or a URI such as hdfs://nn:8020/ckpt). It holds
 * <pre>
 *   format      "relulearn-training-checkpoint", version 1
 *   algorithm   e.g. "gate"
 *   config      the settings that determine the trajectory (options, data source, start); a resume
 *               with other settings is refused, naming the differing keys
 *   iteration   the last completed iteration
 *   state       algorithm-specific: readable numbers (doubles as exact hexadecimal bit patterns,
 *               {@link #encode(double[])}) plus, where convenient, a Java-serialised object
 *               ({@link #serialize(Serializable)}) of the algorithm's own state record
 * </pre>
 * The directory must not be inside a run's output directory (that is only renamed into place at the
 * end); it is the caller's to choose, e.g. {@code --checkpoint-dir runs/gate1.ckpt}.
 */
public final class TrainingCheckpoint {
    public static final String FILE = "checkpoint.json";
    public static final String FORMAT = "relulearn-training-checkpoint";
    public static final int VERSION = 1;

    private final DataPath dir;
    private final String algorithm;
    private final Map<String, Object> config;

    /** One checkpoint as read back. */
    public record Snapshot(String algorithm, Map<String, Object> config, long iteration, Map<String, Object> state) {}

    private TrainingCheckpoint(DataPath dir, String algorithm, Map<String, Object> config) {
        this.dir = dir;
        this.algorithm = algorithm;
        this.config = config;
    }

    /**
     * A writer into {@code dir} (created if missing) for runs of {@code algorithm} with {@code config}.
     *
     * @throws UserInputException if the directory cannot be created or written
     */
    public static TrainingCheckpoint writer(Path dir, String algorithm, Map<String, Object> config) {
        return writer(DataPath.of(dir), algorithm, config);
    }

    /** {@link #writer(Path, String, Map)} on any file system (a path or URI: hdfs://, s3a://, ...). */
    public static TrainingCheckpoint writer(DataPath d, String algorithm, Map<String, Object> config) {
        try {
            if (d.exists() && !d.isDirectory()) {
                throw new UserInputException("checkpoint path " + d + " exists and is not a directory: choose another --checkpoint-dir");
            }
            d.mkdirs();
        } catch (IOException | SecurityException e) {
            if (!d.isLocal() && e instanceof IOException io) {
                throw DataPath.error("--checkpoint-dir " + d, "cannot create it", io, "choose a writable --checkpoint-dir");
            }
            throw new UserInputException("cannot create checkpoint directory " + d + " (" + e.getMessage()
                    + "): choose a writable --checkpoint-dir");
        }
        if (d.isLocal() && !Files.isWritable(d.local())) {
            throw new UserInputException("checkpoint directory " + d + " is not writable: choose a writable --checkpoint-dir");
        }
        return new TrainingCheckpoint(d, algorithm, normalized(config));
    }

    public DataPath dir() { return dir; }

    /** Replaces the checkpoint atomically with the state after {@code iteration}. */
    public void write(long iteration, Map<String, Object> state) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("format", FORMAT);
        all.put("version", VERSION);
        all.put("algorithm", algorithm);
        all.put("config", config);
        all.put("iteration", iteration);
        all.put("written", java.time.Instant.now().toString());
        all.put("state", state);
        DataPath f = dir.resolve(FILE);
        try {
            f.replace(Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(all));
        } catch (IOException e) {
            if (!dir.isLocal()) throw DataPath.error("checkpoint " + f, "cannot write it", e, "choose another --checkpoint-dir");
            throw new UserInputException("cannot write checkpoint " + f + " (" + e.getMessage()
                    + "): free disk space or choose another --checkpoint-dir", e);
        }
    }

    /**
     * Reads and validates the checkpoint in {@code dir} for a resumed run of {@code algorithm} with
     * {@code config}.
     *
     * @throws UserInputException naming the problem and the fix: no such directory or checkpoint,
     *                            unreadable or corrupt file, other format version, other algorithm,
     *                            other settings (the differing keys are listed)
     */
    public static Snapshot read(Path dir, String algorithm, Map<String, Object> config) {
        return read(DataPath.of(dir), algorithm, config);
    }

    /** {@link #read(Path, String, Map)} on any file system. */
    public static Snapshot read(DataPath d, String algorithm, Map<String, Object> config) {
        boolean isDir;
        try {
            isDir = d.isDirectory();
        } catch (IOException e) {
            throw DataPath.error("--resume " + d, "cannot look it up", e, "give a readable --resume directory");
        }
        if (!isDir) {
            throw new UserInputException("--resume " + d + " is not a directory: give the --checkpoint-dir of the run to continue");
        }
        DataPath f = d.resolve(FILE);
        Map<String, Object> all;
        try {
            all = Json.mapper().readValue(f.readBytes(), LinkedHashMap.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserInputException("no checkpoint in " + d + " (" + FILE + " is missing): the run stopped before its"
                    + " first checkpoint, so start it again without --resume");
        } catch (IOException e) {
            if (!d.isLocal() && !(e instanceof com.fasterxml.jackson.core.JacksonException)) {
                throw DataPath.error("checkpoint " + f, "cannot read it", e, "check --resume and its permissions");
            }
            throw new UserInputException("cannot read checkpoint " + f + " (" + firstLine(e.getMessage())
                    + "): it is corrupt or unreadable; start the run again without --resume");
        }
        if (!FORMAT.equals(all.get("format")) || !(all.get("state") instanceof Map) || !(all.get("iteration") instanceof Number)
                || !(all.get("config") instanceof Map)) {
            throw new UserInputException("checkpoint " + f + " is not a relulearn training checkpoint: give the --checkpoint-dir"
                    + " of the run to continue");
        }
        if (!Objects.equals(((Number) all.getOrDefault("version", 0)).intValue(), VERSION)) {
            throw new UserInputException("checkpoint " + f + " has format version " + all.get("version") + ", this relulearn reads "
                    + VERSION + ": resume with the relulearn version that wrote it");
        }
        if (!algorithm.equals(all.get("algorithm"))) {
            throw new UserInputException("checkpoint " + f + " was written by '" + all.get("algorithm") + "', not '" + algorithm
                    + "': resume it with the same command");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> saved = (Map<String, Object>) all.get("config");
        List<String> diff = differences(saved, normalized(config));
        if (!diff.isEmpty()) {
            throw new UserInputException("checkpoint " + f + " was written by a run with other settings (" + String.join("; ", diff)
                    + "): resume with the same options as that run");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) all.get("state");
        return new Snapshot(algorithm, saved, ((Number) all.get("iteration")).longValue(), state);
    }

    /** Doubles as exact 16-digit hexadecimal bit patterns (JSON numbers would not keep NaN or -0.0). */
    public static List<String> encode(double[] v) {
        List<String> out = new ArrayList<>(v.length);
        for (double x : v) out.add(String.format("%016x", Double.doubleToRawLongBits(x)));
        return out;
    }

    /** Inverse of {@link #encode(double[])}. */
    public static double[] decode(Object encoded, String what) {
        if (!(encoded instanceof List<?> l)) throw corrupt(what);
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Double.longBitsToDouble(Long.parseUnsignedLong(String.valueOf(l.get(i)), 16));
            } catch (NumberFormatException e) {
                throw corrupt(what);
            }
        }
        return v;
    }

    /** An algorithm's own state record, Java-serialised and Base64-encoded. */
    public static String serialize(Serializable state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the training state: " + e.getMessage(), e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Inverse of {@link #serialize(Serializable)}, checked against the expected type. */
    public static <T> T deserialize(Object encoded, Class<T> type, String what) {
        if (!(encoded instanceof String s)) throw corrupt(what);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s)))) {
            Object o = in.readObject();
            if (!type.isInstance(o)) throw corrupt(what);
            return type.cast(o);
        } catch (InvalidClassException e) {
            throw new UserInputException("the checkpoint's " + what + " was written by another relulearn version (" + e.getMessage()
                    + "): resume with the version that wrote it");
        } catch (IOException | ClassNotFoundException | IllegalArgumentException e) {
            throw corrupt(what);
        }
    }

    private static UserInputException corrupt(String what) {
        return new UserInputException("the checkpoint's " + what + " is corrupt: start the run again without --resume");
    }

    /** The config as JSON would give it back (numbers, lists and maps in JSON's own types). */
    private static Map<String, Object> normalized(Map<String, Object> config) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.mapper().readValue(Json.mapper().writeValueAsBytes(config), LinkedHashMap.class);
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("a checkpoint config must be plain JSON data: " + e.getMessage(), e);
        }
    }

    private static List<String> differences(Map<String, Object> saved, Map<String, Object> now) {
        List<String> diff = new ArrayList<>();
        differences("", saved, now, diff);
        return diff;
    }

    /** Differing keys; nested settings (options, data) are compared key by key, so only what changed is named. */
    @SuppressWarnings("unchecked")
    private static void differences(String prefix, Map<String, Object> saved, Map<String, Object> now, List<String> diff) {
        for (String k : new TreeSet<>(union(saved.keySet(), now.keySet()))) {
            Object a = saved.get(k), b = now.get(k);
            if (Objects.equals(a, b)) continue;
            if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
                differences(prefix + k + ".", (Map<String, Object>) ma, (Map<String, Object>) mb, diff);
            } else {
                diff.add(prefix + k + ": " + a + " in the checkpoint, " + b + " now");
            }
        }
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
