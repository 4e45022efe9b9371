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
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Per-block states of a {@link StateData} saved as files, one per partition, so that a killed
 * iterative run (ADMM's per-row duals) can be continued: {@link PassRunner#saveState} writes
 * {@code DIR/part-NNNNN} for every partition where the partition is (no state goes through the
 * driver), {@link PassRunner#attachSavedState} reads them back next to the same blocks.
 *
 * <p>A part file is a header (magic, partition index, partition count, per-block row counts) and the
 * Java-serialised list of the partition's block states. Each is written to a temporary sibling,
 * forced to disk and renamed into place, so a part file is either complete or absent (a retried task
 * simply replaces it). The directory must be visible to the driver and every executor (a local
 * path in local and single-machine modes; a shared mount on a multi-machine cluster).
 */
public final class StateFiles {
    private static final int MAGIC = 0x524c5354;   // "RLST"

    private StateFiles() {}

    /** The file of partition {@code i}. */
    public static Path partFile(Path dir, int i) { return dir.resolve(String.format("part-%05d", i)); }

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
    public static <S extends Serializable> void writePartition(Path dir, int partition, int partitions, long[] blockRows,
                                                               List<S> states) {
        if (blockRows.length != states.size()) {
            throw new IllegalStateException("blocks and states out of step: " + blockRows.length + " vs " + states.size());
        }
        Path tmp = dir.resolve(".part-" + partition + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream raw = Channels.newOutputStream(ch);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
                out.writeInt(MAGIC);
                out.writeInt(partition);
                out.writeInt(partitions);
                out.writeInt(blockRows.length);
                for (long r : blockRows) out.writeLong(r);
                ObjectOutputStream obj = new ObjectOutputStream(out);
                obj.writeObject(new ArrayList<>(states));
                obj.flush();
                ch.force(true);   // on disk before the rename makes it the partition's file
            }
            try {
                Files.move(tmp, partFile(dir, partition), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, partFile(dir, partition), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temporary name is ignored by readers
            }
            throw new IllegalStateException("cannot write the row state " + partFile(dir, partition) + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the header of partition {@code i} (driver-side validation). */
    public static Header readHeader(Path dir, int i) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(partFile(dir, i)))) {
            return header(new DataInputStream(in), partFile(dir, i));
        }
    }

    /** Reads partition {@code i} (executor side); the states' classes are resolved by {@code loader}. */
    @SuppressWarnings("unchecked")
    public static <S> Part<S> readPartition(Path dir, int i, ClassLoader loader) {
        Path f = partFile(dir, i);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
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

    private static Header header(DataInputStream in, Path f) throws IOException {
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
    public static void validate(Path dir, int partitions, long numRows) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the checkpoint's row state " + dir + " is missing: the checkpoint is incomplete;"
                    + " start the run again without --resume");
        }
        long rows = 0;
        for (int i = 0; i < partitions; i++) {
            Header h;
            try {
                h = readHeader(dir, i);
            } catch (NoSuchFileException e) {
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
        if (Files.exists(partFile(dir, partitions))) {
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
    public static void checkRows(Header h, long[] actualRows, Path dir) {
        if (!java.util.Arrays.equals(h.blockRows(), actualRows)) {
            throw new IllegalStateException("the checkpoint's row state " + partFile(dir, h.partition()) + " has blocks of "
                    + java.util.Arrays.toString(h.blockRows()) + " rows, the data's partition has "
                    + java.util.Arrays.toString(actualRows) + ": resume with the data and --partitions of the run that wrote it");
        }
    }
}
