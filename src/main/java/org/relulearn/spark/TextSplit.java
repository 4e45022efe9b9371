package org.relulearn.spark;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.relulearn.error.UserInputException;

/**
 * Where a text reader is inside a file, for error messages that name the file and the line.
 *
 * <p>How line numbers are found: Hadoop's text input hands each task a byte range (split) of a file
 * and, per line, the line's byte offset. A split that starts at byte 0 counts its lines as it reads
 * them, so its line numbers are exact (this covers every compressed file, which is read whole).
 * A split that starts further in does not know how many lines precede it; only when it has an error
 * to report does it count the newlines before the bad line's offset, reading the file from the
 * start. For a splittable compressed file (bzip2) read in parts, offsets are not positions in the
 * text, so the message gives the byte offset instead of a line number.
 */
final class TextSplit {
    final Path file;
    final long start;
    private final HadoopConf conf;
    private int linesRead;
    private long offset;

    TextSplit(InputSplit split, HadoopConf conf) {
        FileSplit fs = (FileSplit) split;
        this.file = fs.getPath();
        this.start = fs.getStart();
        this.conf = conf;
    }

    /** Records that the next line, at byte {@code offset}, is being read. */
    void advance(long lineOffset) {
        linesRead++;
        offset = lineOffset;
    }

    /** "FILE line N" for the current line (see the class comment for how N is found). */
    String where() {
        if (start == 0) return file + " line " + linesRead;
        try {
            if (codec(conf, file) != null) return file + " at byte offset " + offset;
            return file + " line " + (1 + newlinesBefore(offset));
        } catch (IOException e) {
            return file + " at byte offset " + offset;
        }
    }

    /** Counts '\n' in bytes [0, end) of the file (used only to report an error). */
    private long newlinesBefore(long end) throws IOException {
        FileSystem fs = file.getFileSystem(conf.get());
        long count = 0, pos = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(file)) {
            while (pos < end) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, end - pos));
                if (n < 0) break;
                for (int i = 0; i < n; i++) if (buf[i] == '\n') count++;
                pos += n;
            }
        }
        return count;
    }

    static CompressionCodec codec(HadoopConf conf, Path file) {
        return new CompressionCodecFactory(conf.get()).getCodec(file);
    }

    /**
     * The first line of a file (decompressed, without its line break), or null if the file is empty.
     * Used for a CSV header: by the driver for the first file, by a task whose split starts
     * past the header.
     */
    static byte[] firstLine(HadoopConf conf, Path file) {
        try {
            FileSystem fs = file.getFileSystem(conf.get());
            CompressionCodec codec = codec(conf, file);
            try (InputStream raw = fs.open(file);
                 InputStream in = new BufferedInputStream(codec == null ? raw : codec.createInputStream(raw), 8192)) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int c;
                boolean any = false;
                while ((c = in.read()) >= 0) {
                    any = true;
                    if (c == '\n') break;
                    line.write(c);
                }
                if (!any) return null;
                byte[] b = line.toByteArray();
                int n = b.length;
                if (n > 0 && b[n - 1] == '\r') n--;
                return java.util.Arrays.copyOf(b, n);
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + " (" + e.getMessage() + "): check that the file exists and is readable", e);
        }
    }
}
