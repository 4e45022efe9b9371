package org.relulearn.fs;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.relulearn.error.UserInputException;

/**
 * A file or directory named by the user, on whatever file system its URI names, reached through
 * the Hadoop FileSystem API: {@code file://}, {@code hdfs://}, {@code s3a://}, {@code abfs://} (any
 * scheme whose connector is on the classpath). A plain path means the default file system
 * ({@code fs.defaultFS}), relative to its working directory, as in Spark: the local disk in local
 * mode, HDFS on a cluster whose Hadoop configuration says so.
 *
 * <p>The Hadoop configuration is the active Spark session's ({@code spark.hadoop.*} settings,
 * credentials, endpoints; see {@link #setConfigurationSource}) or, before a session exists, a new
 * one with the {@code spark.hadoop.*} system properties spark-submit sets. A DataPath is Serializable with its configuration, so a task
 * opens the file on an executor with the driver's settings.
 *
 * <p>Local paths are handled as before the Hadoop API was used: through java.nio on the raw local
 * file system (no {@code .crc} side files; renames are POSIX renames, atomic and replacing).
 *
 * <p>Publishing guarantees: {@link #replace} makes a file appear complete or not at all (a
 * temporary sibling renamed over it where the store renames atomically: local disk and HDFS;
 * elsewhere one overwriting write, which object stores make visible on close). A directory is
 * published by building it under a temporary name and renaming it (see RunOutput); on stores
 * without atomic rename ({@link #atomicRename()} false, e.g. S3, GCS, Azure blob) the rename is a
 * copy, so a {@value #SUCCESS} marker is written last and readers refuse a directory without it
 * ({@link #requirePublished}).
 */
public final class DataPath implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The marker written into a published directory after everything else. */
    public static final String SUCCESS = "_SUCCESS";

    /** Schemes whose rename is atomic (a POSIX or namenode rename). Others are treated as object stores. */
    private static final Set<String> ATOMIC_RENAME = Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs", "o3fs", "ofs");

    private final String uri;
    private transient Configuration conf;
    private transient Path path;
    private transient FileSystem fs;

    private DataPath(Path qualified, Configuration conf, FileSystem fs) {
        // one spelling per location (file:/x, not file:///x), so equal locations have equal URIs
        java.net.URI u = qualified.toUri();
        String authority = u.getAuthority() == null || u.getAuthority().isEmpty() ? null : u.getAuthority();
        Path canonical = new Path(u.getScheme(), authority, u.getPath());
        this.uri = canonical.toUri().toString();
        this.path = canonical;
        this.conf = conf;
        this.fs = fs;
    }

    /** {@code location} on the file system its scheme names, with the active Hadoop configuration. */
    public static DataPath of(String location) { return of(location, activeConfiguration(), "path"); }

    /**
     * {@code location} resolved for the option {@code option} (named in error messages).
     *
     * @throws UserInputException for an empty or malformed path or URI, or a scheme without a file system
     */
    public static DataPath of(String location, String option) { return of(location, activeConfiguration(), option); }

    /** {@code location} with the given Hadoop configuration. */
    public static DataPath of(String location, Configuration conf, String option) {
        if (location == null || location.isBlank()) {
            throw new UserInputException(option + " is empty: give a path or a URI such as hdfs://namenode:8020/dir");
        }
        Path p;
        try {
            p = new Path(location);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(option + " " + location + " is not a valid path or URI (" + rootMessage(e)
                    + "): write a plain path or a URI such as file:///data/x, hdfs://namenode:8020/data/x or s3a://bucket/data/x");
        }
        FileSystem fs;
        try {
            fs = p.getFileSystem(conf);
        } catch (UnsupportedFileSystemException e) {
            throw noScheme(option, location, p.toUri().getScheme(), e);
        } catch (IOException | RuntimeException e) {
            // no FileSystem registered for the scheme, or one configured (fs.s3a.impl) whose connector jar is missing
            if (rootMessage(e).contains("No FileSystem for scheme") || has(e, ClassNotFoundException.class)) {
                throw noScheme(option, location, p.toUri().getScheme(), e);
            }
            throw error(option + " " + location, "cannot open its file system", e, "give another " + option);
        }
        if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();   // no .crc side files
        Path q;
        try {
            q = fs.makeQualified(p);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(option + " " + location + " does not belong to the file system " + fs.getUri() + " ("
                    + rootMessage(e) + "): check the URI's authority (host:port or bucket)");
        }
        return new DataPath(q, conf, fs);
    }

    /** A local path (tests, local files). */
    public static DataPath of(java.nio.file.Path local) {
        return of(local.toAbsolutePath().normalize().toUri().toString(), activeConfiguration(), "path");
    }

    private static UserInputException noScheme(String option, String location, String scheme, Exception e) {
        String hint = switch (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) {
            case "s3", "s3n" -> "use s3a:// (the S3 connector of hadoop-aws) and put hadoop-aws on the classpath (--packages"
                    + " org.apache.hadoop:hadoop-aws:<the cluster's Hadoop version>)";
            case "s3a" -> "put hadoop-aws (of the cluster's Hadoop version) and its AWS SDK on the classpath, e.g. --packages"
                    + " org.apache.hadoop:hadoop-aws:<version>";
            case "abfs", "abfss", "wasb", "wasbs" -> "put hadoop-azure (of the cluster's Hadoop version) on the classpath, e.g."
                    + " --packages org.apache.hadoop:hadoop-azure:<version>";
            case "gs" -> "put the GCS connector (gcs-connector, hadoop3 build) on the classpath";
            default -> "put the connector for '" + scheme + "' on the classpath or set fs." + scheme + ".impl, or use file://,"
                    + " hdfs://, s3a:// or abfs://";
        };
        return new UserInputException(option + " " + location + ": no file system for scheme '" + scheme + "' ("
                + rootMessage(e) + "): " + hint, e);
    }

    private static volatile Supplier<Configuration> configurationSource;

    /**
     * Installs where {@link #activeConfiguration()} looks first: the Spark layer ({@code spark.Sessions},
     * {@code spark.SparkPassRunner}) installs "the active Spark session's Hadoop configuration, or
     * null when there is none". This package itself imports no Spark.
     */
    public static void setConfigurationSource(Supplier<Configuration> source) { configurationSource = source; }

    /**
     * The Hadoop configuration paths are resolved with: the active Spark session's (through the
     * installed source), else a new one carrying the {@code spark.hadoop.*} system properties (what
     * spark-submit passes to the driver).
     */
    public static Configuration activeConfiguration() {
        Supplier<Configuration> source = configurationSource;
        Configuration active = source == null ? null : source.get();
        if (active != null) return active;
        Configuration c = new Configuration();
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String k = String.valueOf(e.getKey());
            if (k.startsWith("spark.hadoop.")) c.set(k.substring("spark.hadoop.".length()), String.valueOf(e.getValue()));
        }
        return c;
    }

    // ---- naming ----

    /** The qualified URI, e.g. {@code file:/tmp/x} or {@code hdfs://nn:8020/user/me/x}: what Spark and Hadoop accept. */
    public String uri() { return uri; }

    /** The Hadoop path (qualified). */
    public Path path() {
        if (path == null) path = new Path(uri);
        return path;
    }

    /** The file system holding this path (opened on first use, also on an executor). */
    public FileSystem fs() throws IOException {
        if (fs == null) {
            FileSystem f = path().getFileSystem(conf);
            fs = f instanceof LocalFileSystem local ? local.getRawFileSystem() : f;
        }
        return fs;
    }

    public Configuration conf() { return conf; }

    public String scheme() { return path().toUri().getScheme(); }

    /** Whether this is on the local file system (then {@link #local()} gives the java.nio path). */
    public boolean isLocal() { return "file".equalsIgnoreCase(scheme()); }

    /** The java.nio path of a local DataPath. */
    public java.nio.file.Path local() {
        if (!isLocal()) throw new IllegalStateException(uri + " is not on the local file system");
        return java.nio.file.Path.of(path().toUri());
    }

    /** Whether a directory rename on this store is atomic (local disk, HDFS); false for object stores. */
    public boolean atomicRename() { return ATOMIC_RENAME.contains(String.valueOf(scheme()).toLowerCase(Locale.ROOT)); }

    public DataPath resolve(String child) { return new DataPath(new Path(path(), child), conf, fs); }

    /** The parent directory, or null at the root. */
    public DataPath parent() {
        Path p = path().getParent();
        return p == null ? null : new DataPath(p, conf, fs);
    }

    public String name() { return path().getName(); }

    /** For messages: a plain path for local files, else the URI. */
    @Override
    public String toString() { return isLocal() ? path().toUri().getPath() : uri; }

    @Override
    public boolean equals(Object o) { return o instanceof DataPath d && d.uri.equals(uri); }

    @Override
    public int hashCode() { return uri.hashCode(); }

    /** Whether this path lies inside {@code dir} (or is it). */
    public boolean isInside(DataPath dir) {
        String a = uri.endsWith("/") ? uri : uri + "/", b = dir.uri.endsWith("/") ? dir.uri : dir.uri + "/";
        return a.startsWith(b);
    }

    // ---- queries ----

    public boolean exists() throws IOException {
        if (isLocal()) return Files.exists(local());
        return fs().exists(path());
    }

    public boolean isDirectory() throws IOException {
        if (isLocal()) return Files.isDirectory(local());
        try {
            return fs().getFileStatus(path()).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    public boolean isFile() throws IOException {
        if (isLocal()) return Files.isRegularFile(local());
        try {
            return fs().getFileStatus(path()).isFile();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    /** The entries of this directory, sorted by name. */
    public List<DataPath> list() throws IOException {
        FileStatus[] st = fs().listStatus(path());
        Arrays.sort(st, Comparator.comparing(s -> s.getPath().getName()));
        List<DataPath> out = new ArrayList<>(st.length);
        for (FileStatus s : st) out.add(new DataPath(s.getPath(), conf, fs));
        return out;
    }

    // ---- changes ----

    /** Creates this directory and its parents. */
    public void mkdirs() throws IOException {
        if (isLocal()) {
            Files.createDirectories(local());
            return;
        }
        if (!fs().mkdirs(path())) throw new IOException("mkdirs returned false for " + this);
    }

    /** Creates this directory; false if it exists. */
    public boolean createDirectory() throws IOException {
        if (isLocal()) {
            try {
                Files.createDirectory(local());
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        if (fs().exists(path())) return false;
        if (!fs().mkdirs(path())) throw new IOException("mkdirs returned false for " + this);
        return true;
    }

    /** Deletes this file or directory tree; nothing if it does not exist. */
    public void delete() throws IOException {
        if (isLocal()) {
            java.nio.file.Path p = local();
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
            try (var s = Files.walk(p)) {
                for (java.nio.file.Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
            }
            return;
        }
        if (fs().exists(path()) && !fs().delete(path(), true)) throw new IOException("cannot delete " + this);
    }

    /**
     * Renames this file or directory to {@code to}, which must not exist: atomic on local disk and
     * HDFS; on object stores a copy and delete.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code to} exists
     */
    public void renameTo(DataPath to) throws IOException {
        if (isLocal() && to.isLocal()) {
            try {
                Files.move(local(), to.local(), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(local(), to.local());
            }
            return;
        }
        if (to.exists()) throw new java.nio.file.FileAlreadyExistsException(to.toString());
        if (!fs().rename(path(), to.path())) {
            if (to.exists()) throw new java.nio.file.FileAlreadyExistsException(to.toString());
            throw new IOException("the file system refused to rename " + this + " to " + to);
        }
    }

    public InputStream open() throws IOException {
        if (isLocal()) return Files.newInputStream(local());
        return fs().open(path());
    }

    public byte[] readBytes() throws IOException {
        if (isLocal()) return Files.readAllBytes(local());
        try (InputStream in = fs().open(path())) {
            return in.readAllBytes();
        }
    }

    /** Creates (or, with {@code overwrite}, truncates) this file. */
    public OutputStream create(boolean overwrite) throws IOException {
        if (isLocal()) {
            Files.createDirectories(local().getParent());
            return overwrite ? Files.newOutputStream(local())
                    : Files.newOutputStream(local(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        return fs().create(path(), overwrite);
    }

    public void write(byte[] bytes, boolean overwrite) throws IOException {
        try (OutputStream out = create(overwrite)) {
            out.write(bytes);
        }
    }

    /** What {@link #replace} writes: the file's content onto a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public void replace(byte[] bytes) throws IOException { replace(out -> out.write(bytes)); }

    /**
     * Replaces this file atomically: a reader sees the previous content or the new one, never a
     * partial file, and there is no moment without the file once it existed. Local disk: a
     * temporary sibling forced to disk and renamed over it (POSIX rename). HDFS (and the other
     * atomic-rename stores): a temporary sibling, hsync'ed, renamed with OVERWRITE (one namenode
     * operation). Object stores: one overwriting write, which becomes visible as a whole on close.
     */
    public void replace(Writer content) throws IOException {
        String tmpName = "." + name() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8);
        if (isLocal()) {
            java.nio.file.Path target = local(), tmp = target.resolveSibling(tmpName);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                    content.writeTo(out);
                    out.flush();
                    ch.force(true);   // on disk before the rename makes it the file
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return;
        }
        if (!atomicRename()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            content.writeTo(buf);
            try (FSDataOutputStream out = fs().create(path(), true)) {
                buf.writeTo(out);
            }
            return;
        }
        Path tmp = new Path(path().getParent(), tmpName);
        try {
            try (FSDataOutputStream out = fs().create(tmp, false)) {
                OutputStream b = new java.io.BufferedOutputStream(out, 1 << 16);
                content.writeTo(b);
                b.flush();
                out.hsync();   // on the datanodes' disks before the rename makes it the file
            }
            FileContext.getFileContext(fs().getUri(), conf).rename(tmp, path(), Options.Rename.OVERWRITE);
        } catch (IOException | RuntimeException e) {
            try {
                fs().delete(tmp, false);
            } catch (IOException ignored) {
                // a leftover temporary name is ignored by readers (hidden name)
            }
            throw e;
        }
    }

    // ---- published directories ----

    /** Writes the {@value #SUCCESS} marker into this directory (the last step of publishing it). */
    public void markPublished() throws IOException { resolve(SUCCESS).write(new byte[0], true); }

    /**
     * Refuses to read a directory a writer may still be copying into place: on a store without
     * atomic rename, a directory written by relulearn is complete only once its {@value #SUCCESS}
     * marker exists. (On local disk and HDFS the rename is atomic, and directories from earlier
     * versions, without the marker, are read as before.)
     *
     * @throws UserInputException naming the directory and the fix
     */
    public void requirePublished(String what) {
        if (atomicRename()) return;
        boolean ok;
        try {
            ok = resolve(SUCCESS).exists();
        } catch (IOException e) {
            throw error(what + " " + this, "cannot check for its " + SUCCESS + " marker", e, "check the path and its permissions");
        }
        if (!ok) {
            throw new UserInputException(what + " " + this + " has no " + SUCCESS + " marker: on this object store a directory is"
                    + " complete only once the writer has put " + SUCCESS + " last; wait for the writing run to finish, or rerun it");
        }
    }

    // ---- errors ----

    /**
     * A user-input error for a failed file-system operation: {@code what} (e.g. "--out hdfs://x"),
     * {@code action} (e.g. "cannot create it"), the cause classified (permission denied, file
     * system unreachable, ...), and the fix ({@code fix}, preceded by the cause's own fix).
     */
    public static UserInputException error(String what, String action, Throwable e, String fix) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String cause = (root.getMessage() == null ? "" : root.getClass().getSimpleName() + ": ") + rootMessage(e);
        String kind;
        String remedy;
        if (isPermission(e)) {
            kind = "permission denied";
            remedy = "grant the user " + user() + " access to it (e.g. hdfs dfs -chmod / -chown, or the bucket's policy), or " + fix;
        } else if (has(e, ConnectException.class) || has(e, UnknownHostException.class)
                || has(e, java.net.NoRouteToHostException.class) || has(e, java.net.SocketTimeoutException.class)) {
            kind = "file system unreachable";
            remedy = "check the host and port in the URI (or fs.defaultFS) and that the file system is up, or " + fix;
        } else {
            kind = null;
            remedy = fix;
        }
        return new UserInputException(what + ": " + action + " (" + (kind == null ? "" : kind + ": ") + cause + "); " + remedy, e);
    }

    private static boolean isPermission(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AccessDeniedException || c instanceof org.apache.hadoop.security.AccessControlException
                    || c.getClass().getName().endsWith("AccessControlException")) return true;
            String m = c.getMessage();
            if (m != null && (m.contains("Permission denied") || m.contains("AccessDenied") || m.contains("403 Forbidden"))) return true;
        }
        return false;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) if (type.isInstance(c)) return true;
        return false;
    }

    private static String user() {
        try {
            return "'" + org.apache.hadoop.security.UserGroupInformation.getCurrentUser().getShortUserName() + "'";
        } catch (IOException | RuntimeException e) {
            return "running relulearn";
        }
    }

    /** The first line of the innermost useful message. */
    public static String rootMessage(Throwable e) {
        String m = null;
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) m = c.getMessage();
            if (c.getCause() == null) break;
        }
        if (m == null) m = e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    // ---- serialisation: the configuration travels with the path ----

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeBoolean(conf != null);
        if (conf != null) conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        if (in.readBoolean()) conf.readFields(in);
    }
}
