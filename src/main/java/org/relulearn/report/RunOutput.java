package org.relulearn.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.relulearn.error.UserInputException;
import org.relulearn.fs.DataPath;

/**
 * A run's output directory, on any file system ({@link DataPath}: a local path, hdfs://, s3a://,
 * ...), built under a temporary sibling name ({@code .<name>.tmp-<pid>-<id>}) and renamed into
 * place by {@link #commit()} only when complete, so a failed or killed run never leaves a
 * half-written output behind; a {@value DataPath#SUCCESS} marker is written into it last. On a
 * store without atomic rename (S3, GCS, Azure blob) the rename is a copy: readers then trust the
 * directory only once its marker exists ({@link DataPath#requirePublished}). A killed local run's
 * temporary directory is removed by the next run to the same target; on other file systems it
 * stays (a hidden name, ignored by readers). Holds {@code params.json}, {@code results.json} and
 * the metrics log {@code metrics.jsonl} (one JSON object per pass or iteration).
 *
 * <p>Driver-side files are written through java.nio into {@link #dir()}: the temporary directory
 * itself for a local target, else a local staging directory whose files are copied into the
 * temporary directory on the target file system at commit. What Spark writes (data sets, tables,
 * models) goes straight to {@link #location(String)} on the target file system.
 */
public final class RunOutput implements AutoCloseable {
    private final DataPath target;
    private final DataPath temp;
    private final Path staging;
    private final boolean overwrite;
    private BufferedWriter metrics;
    private boolean committed;

    private RunOutput(DataPath target, DataPath temp, Path staging, boolean overwrite) {
        this.target = target;
        this.temp = temp;
        this.staging = staging;
        this.overwrite = overwrite;
    }

    /** {@link #create(DataPath, boolean)} for a local directory. */
    public static RunOutput create(Path dir, boolean overwrite) { return create(DataPath.of(dir), overwrite); }

    /** {@link #create(DataPath, boolean)} for {@code --out LOCATION} (a path or URI). */
    public static RunOutput create(String location, boolean overwrite) { return create(DataPath.of(location, "--out"), overwrite); }

    /**
     * Checks that {@code dir} can be written and creates the temporary directory beside it.
     *
     * @throws UserInputException if the directory exists (without overwrite), its parent is not
     *                            writable, or its file system cannot be reached
     */
    public static RunOutput create(DataPath target, boolean overwrite) {
        try {
            if (target.exists() && !overwrite) {
                throw new UserInputException("output directory " + target + " already exists: choose another --out or add --overwrite");
            }
            if (target.exists() && !target.isDirectory()) {
                throw new UserInputException("output path " + target + " exists and is not a directory: choose another --out");
            }
        } catch (IOException e) {
            throw DataPath.error("--out " + target, "cannot look it up", e, "choose another --out");
        }
        DataPath parent = target.parent();
        if (parent == null) throw new UserInputException("--out " + target + " is the root of its file system: choose a directory below it");
        try {
            parent.mkdirs();
        } catch (IOException | SecurityException e) {
            if (target.isLocal()) {
                throw new UserInputException("cannot create the parent of output directory " + target + " (" + e.getMessage()
                        + "): choose a writable --out");
            }
            throw DataPath.error("--out " + target, "cannot create its parent " + parent, e, "choose a writable --out");
        }
        if (target.isLocal() && !Files.isWritable(parent.local())) {
            throw new UserInputException("cannot write output directory " + target + ": " + parent
                    + " is not writable; choose a writable --out");
        }
        if (target.isLocal()) removeStaleTemps(parent.local(), target.name());
        DataPath temp = parent.resolve(tempPrefix(target.name()) + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        try {
            if (!temp.createDirectory()) throw new java.nio.file.FileAlreadyExistsException(temp.toString());
        } catch (IOException e) {
            if (!target.isLocal()) throw DataPath.error("--out " + target, "cannot create entries in " + parent, e, "choose a writable --out");
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "the file system refuses new entries"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new UserInputException("cannot write output directory " + target + ": cannot create entries in " + parent
                    + " (" + why + "); choose a writable --out");
        }
        Path staging;
        if (temp.isLocal()) {
            staging = temp.local();
        } else {
            try {
                staging = Files.createTempDirectory("relulearn-out-");
            } catch (IOException e) {
                try {
                    temp.delete();
                } catch (IOException ignored) {
                    // a hidden temporary name; harmless
                }
                throw new java.io.UncheckedIOException("cannot create a local staging directory in java.io.tmpdir: " + e.getMessage(), e);
            }
        }
        return new RunOutput(target, temp, staging, overwrite);
    }

    private static String tempPrefix(String name) { return "." + name + ".tmp-"; }

    /**
     * Deletes temporary directories of earlier runs to the same target whose process is gone (a
     * killed run cannot clean up after itself): their names carry the writer's PID.
     */
    private static void removeStaleTemps(Path parent, String name) {
        String prefix = tempPrefix(name);
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.filter(q -> q.getFileName().toString().startsWith(prefix)).toList()) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;   // not one of ours
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                deleteRecursively(p);
            }
        } catch (IOException | SecurityException ignored) {
            // best effort: a stray temporary directory is harmless and named as such
        }
    }

    /** The final location (valid after {@link #commit()}). */
    public DataPath target() { return target; }

    /** Where driver-side files are written (java.nio) until commit. */
    public Path dir() { return staging; }

    public Path file(String name) { return staging.resolve(name); }

    /**
     * {@code name} inside the temporary directory on the target file system: where Spark writes
     * (its {@link DataPath#uri()}). For a local target this is {@link #file(String)}'s directory.
     */
    public DataPath location(String name) { return temp.resolve(name); }

    public void writeJson(String name, Object value) { Json.write(staging.resolve(name), value); }

    /** Appends one record to metrics.jsonl. */
    public synchronized void metric(Map<String, Object> record) {
        try {
            if (metrics == null) {
                metrics = Files.newBufferedWriter(staging.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("time", System.currentTimeMillis());
            r.putAll(record);
            // One record per line (JSON Lines): the shared mapper pretty-prints, so not through it.
            metrics.write(Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + staging + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves the finished directory into place (atomically where the file system allows; on an object
     * store a copy) and writes its {@value DataPath#SUCCESS} marker last.
     */
    public DataPath commit() {
        closeMetrics();
        try {
            if (!temp.isLocal()) upload(staging, temp);
            if (overwrite && target.exists()) target.delete();
            temp.renameTo(target);
        } catch (FileAlreadyExistsException e) {
            throw new UserInputException("output directory " + target + " appeared while the run was writing: choose another --out");
        } catch (IOException e) {
            if (!target.isLocal()) throw DataPath.error("--out " + target, "cannot move " + temp + " into place", e, "choose a writable --out");
            throw new UncheckedIOException("cannot move " + temp + " to " + target + ": " + e.getMessage(), e);
        }
        committed = true;
        try {
            target.markPublished();
        } catch (IOException e) {
            throw DataPath.error("--out " + target, "cannot write its " + DataPath.SUCCESS + " marker", e, "choose a writable --out");
        }
        if (!temp.isLocal()) deleteQuietly(staging);
        return target;
    }

    /** Copies the local staging tree into the temporary directory on the target file system (merging directories). */
    private static void upload(Path from, DataPath to) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            DataPath dst = to;
            for (Path part : from.relativize(f)) dst = dst.resolve(part.toString());
            try (InputStream in = Files.newInputStream(f); OutputStream out = dst.create(true)) {
                in.transferTo(out);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteRecursively(p);
        } catch (IOException ignored) {
            // a stray local staging directory in java.io.tmpdir is harmless
        }
    }

    private void closeMetrics() {
        if (metrics != null) {
            try {
                metrics.close();
            } catch (IOException ignored) {
                // the directory is discarded or committed next; nothing more to do
            }
            metrics = null;
        }
    }

    /** Removes the temporary directory of an uncommitted run. */
    @Override
    public void close() {
        closeMetrics();
        if (!committed) {
            try {
                temp.delete();
            } catch (IOException ignored) {
                // best effort: a stray temp directory is named as such and harmless
            }
            if (!temp.isLocal()) deleteQuietly(staging);
        }
    }

    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
