package org.relulearn.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.relulearn.error.UserInputException;

/**
 * A run's output directory, built under a temporary sibling name ({@code .<name>.tmp-<pid>-<id>})
 * and renamed into place by {@link #commit()} only when complete, so a failed or killed run never
 * leaves a half-written output behind (a killed run's temporary directory is removed by the next run
 * to the same target). Holds {@code params.json}, {@code results.json} and the
 * metrics log {@code metrics.jsonl} (one JSON object per pass or iteration).
 */
public final class RunOutput implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private BufferedWriter metrics;
    private boolean committed;

    private RunOutput(Path target, Path temp, boolean overwrite) {
        this.target = target;
        this.temp = temp;
        this.overwrite = overwrite;
    }

    /**
     * Checks that {@code dir} can be written and creates the temporary directory beside it.
     *
     * @throws UserInputException if the directory exists (without overwrite) or its parent is not writable
     */
    public static RunOutput create(Path dir, boolean overwrite) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !overwrite) {
            throw new UserInputException("output directory " + target + " already exists: choose another --out or add --overwrite");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new UserInputException("output path " + target + " exists and is not a directory: choose another --out");
        }
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException | SecurityException e) {
            throw new UserInputException("cannot create the parent of output directory " + target + " (" + e.getMessage()
                    + "): choose a writable --out");
        }
        if (!Files.isWritable(parent)) {
            throw new UserInputException("cannot write output directory " + target + ": " + parent
                    + " is not writable; choose a writable --out");
        }
        removeStaleTemps(parent, target.getFileName().toString());
        Path temp = parent.resolve(tempPrefix(target.getFileName().toString()) + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(temp);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "the file system refuses new entries"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new UserInputException("cannot write output directory " + target + ": cannot create entries in " + parent
                    + " (" + why + "); choose a writable --out");
        }
        return new RunOutput(target, temp, overwrite);
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
    public Path target() { return target; }

    /** Where files are written until commit. */
    public Path dir() { return temp; }

    public Path file(String name) { return temp.resolve(name); }

    public void writeJson(String name, Object value) { Json.write(temp.resolve(name), value); }

    /** Appends one record to metrics.jsonl. */
    public synchronized void metric(Map<String, Object> record) {
        try {
            if (metrics == null) {
                metrics = Files.newBufferedWriter(temp.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
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
            throw new UncheckedIOException("cannot write metrics to " + temp + ": " + e.getMessage(), e);
        }
    }

    /** Moves the finished directory into place (atomically where the file system allows). */
    public Path commit() {
        closeMetrics();
        try {
            if (overwrite && Files.exists(target)) deleteRecursively(target);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UserInputException("output directory " + target + " appeared while the run was writing: choose another --out");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + temp + " to " + target + ": " + e.getMessage(), e);
        }
        committed = true;
        return target;
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
                deleteRecursively(temp);
            } catch (IOException ignored) {
                // best effort: a stray temp directory is named as such and harmless
            }
        }
    }

    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
