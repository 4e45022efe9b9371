package org.relulearn.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.relulearn.fs.DataPath;

/**
 * Per-block states of a {@link StateData} saved as files, one per partition, so that a killed
 * iterative run (ADMM's per-row duals) can be continued: {@link PassRunner#saveState} writes
 * {@code DIR/part-NNNNN} for every partition where the partition is (no state goes through the
 * driver), {@link PassRunner#attachSavedState} reads them back next to the same blocks.
 *
 * <p>A part file is a header (magic, partition index, partition count, per-block row counts) and the
 * Java-serialised list of the partition's block states. Each is written by {@link DataPath#replace}
 * (a temporary sibling, forced to disk and renamed into place; on object stores one overwriting
 * write), so a part file is either complete or absent (a retried task simply replaces it). The
 * directory is a {@link DataPath}, which carries the driver's Hadoop configuration to the
 * executors: on a cluster, a shared file system (hdfs://, s3a://, ... or a shared mount); a local
 * path only in local and single-machine modes.
 */
public final class StateFiles {
    private static final int MAGIC = 0x524c5354;   // "RLST"

    private StateFiles() {}

    /** The file of partition {@code i}. */
    public static DataPath partFile(DataPath dir, int i) { return dir.resolve(String.format("part-%05d", i)); }

    /** A partition's header: where it belongs and how many rows each of its blocks has. */
    public record Header(int partition, int partitions, long[] blockRows) {
        public long rows() {
            long s = 0;
            for (long r : blockRows) s += r;
            return s;
        }
    }

    /** One partition's states as read back. */
    public record Part<S>(Header header, ArrayList<S> states) {}

    /** Writes partition {@code partition}'s states atomically (executor side). */
    public static <S extends Serializable> void writePartition(DataPath dir, int partition, int partitions, long[] blockRows,
                                                               List<S> states) {
        if (blockRows.length != states.size()) {
            throw new IllegalStateException("blocks and states out of step: " + blockRows.length + " vs " + states.size());
        }
        try {
            dir.mkdirs();
            partFile(dir, partition).replace(raw -> {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
                out.writeInt(MAGIC);
                out.writeInt(partition);
                out.writeInt(partitions);
                out.writeInt(blockRows.length);
                for (long r : blockRows) out.writeLong(r);
                ObjectOutputStream obj = new ObjectOutputStream(out);
                obj.writeObject(new ArrayList<>(states));
                obj.flush();
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the row state " + partFile(dir, partition) + ": " + DataPath.rootMessage(e), e);
        }
    }

    /** Reads only the header of partition {@code i} (driver-side validation). */
    public static Header readHeader(DataPath dir, int i) throws IOException {
        try (InputStream in = new BufferedInputStream(partFile(dir, i).open())) {
            return header(new DataInputStream(in), partFile(dir, i));
        }
    }

    /** Reads partition {@code i} (executor side); the states' classes are resolved by {@code loader}. */
    @SuppressWarnings("unchecked")
    public static <S> Part<S> readPartition(DataPath dir, int i, ClassLoader loader) {
        DataPath f = partFile(dir, i);
        try (InputStream raw = new BufferedInputStream(f.open(), 1 << 16)) {
            DataInputStream in = new DataInputStream(raw);
            Header h = header(in, f);
            ObjectInputStream obj = new ObjectInputStream(in) {
                @Override
                protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                    return Class.forName(desc.getName(), false, loader);
                }
            };
            Object o = obj.readObject();
            if (!(o instanceof ArrayList<?> l) || l.size() != h.blockRows().length) throw new IOException("states do not match the header");
            return new Part<>(h, (ArrayList<S>) l);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("cannot read the row state " + f + " (" + e.getMessage()
                    + "): the checkpoint is corrupt; start the run again without --resume", e);
        }
    }

    private static Header header(DataInputStream in, DataPath f) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException(f + " is not a relulearn row-state file");
        int partition = in.readInt(), partitions = in.readInt(), blocks = in.readInt();
        if (partition < 0 || partitions < 1 || blocks < 0 || blocks > 1 << 24) throw new IOException(f + " has a corrupt header");
        long[] rows = new long[blocks];
        for (int b = 0; b < blocks; b++) rows[b] = in.readLong();
        return new Header(partition, partitions, rows);
    }

    /**
     * Checks on the driver that {@code dir} holds a complete state for {@code partitions} partitions
     * and {@code numRows} rows.
     *
     * @throws IllegalArgumentException naming what is missing or different and the fix
     */
    public static void validate(DataPath dir, int partitions, long numRows) {
        boolean isDir;
        try {
            isDir = dir.isDirectory();
        } catch (IOException e) {
            throw DataPath.error("the checkpoint's row state " + dir, "cannot look it up", e, "check --resume and its permissions");
        }
        if (!isDir) {
            throw new IllegalArgumentException("the checkpoint's row state " + dir + " is missing: the checkpoint is incomplete;"
                    + " start the run again without --resume");
        }
        long rows = 0;
        for (int i = 0; i < partitions; i++) {
            Header h;
            try {
                h = readHeader(dir, i);
            } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                throw new IllegalArgumentException("the checkpoint's row state " + dir + " has no file for partition " + i + " of "
                        + partitions + ": resume with the --partitions of the run that wrote it, or start again without --resume");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the checkpoint's row state " + partFile(dir, i) + " (" + e.getMessage()
                        + "): it is corrupt; start the run again without --resume");
            }
            if (h.partition() != i || h.partitions() != partitions) {
                throw new IllegalArgumentException("the checkpoint's row state " + dir + " was written for " + h.partitions()
                        + " partitions, the data has " + partitions + ": resume with the --partitions of the run that wrote it");
            }
            rows += h.rows();
        }
        boolean more;
        try {
            more = partFile(dir, partitions).exists();
        } catch (IOException e) {
            more = false;
        }
        if (more) {
            throw new IllegalArgumentException("the checkpoint's row state " + dir + " has more than " + partitions
                    + " partitions: resume with the --partitions of the run that wrote it");
        }
        if (rows != numRows) {
            throw new IllegalArgumentException("the checkpoint's row state " + dir + " holds " + rows + " rows, the data has " + numRows
                    + ": resume with the data of the run that wrote it");
        }
    }

    /** The row counts of a partition's blocks, in order. */
    public static long[] blockRows(List<org.relulearn.data.Block> blocks) {
        long[] rows = new long[blocks.size()];
        for (int k = 0; k < rows.length; k++) rows[k] = blocks.get(k).rows();
        return rows;
    }

    /** Checks that a partition's saved blocks have the rows of the blocks it is attached to. */
    public static void checkRows(Header h, long[] actualRows, DataPath dir) {
        if (!java.util.Arrays.equals(h.blockRows(), actualRows)) {
            throw new IllegalStateException("the checkpoint's row state " + partFile(dir, h.partition()) + " has blocks of "
                    + java.util.Arrays.toString(h.blockRows()) + " rows, the data's partition has "
                    + java.util.Arrays.toString(actualRows) + ": resume with the data and --partitions of the run that wrote it");
        }
    }
}
