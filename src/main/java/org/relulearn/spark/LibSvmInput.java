package org.relulearn.spark;

import java.util.Collections;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.relulearn.error.UserInputException;
import org.relulearn.data.Block;
import scala.Tuple2;

/**
 * LibSVM text ({@code label index:value index:value ...}, 1-based ascending indices, blanks or
 * tabs between tokens, anything after '#' a comment) to dense blocks with one label (or none when
 * the label is dropped). Unlisted features are zero. The dimension is either given, and then an
 * index beyond it is an error, or inferred as the largest index in the data by one extra pass
 * ({@link #maxIndex}, an aggregate of one int per partition).
 */
final class LibSvmInput {
    private LibSvmInput() {}

    /** The largest feature index in the data (0 if no line lists a feature); checks every line's syntax. */
    static int maxIndex(JavaNewHadoopRDD<LongWritable, Text> lines, HadoopConf conf) {
        return lines.mapPartitionsWithInputSplit((split, records) -> {
            TextSplit where = new TextSplit(split, conf);
            int max = 0;
            while (records.hasNext()) {
                Tuple2<LongWritable, Text> r = records.next();
                where.advance(r._1().get());
                max = Math.max(max, parse(r._2().getBytes(), r._2().getLength(), null, 0, null, 0, Integer.MAX_VALUE, where, null));
            }
            return Collections.singletonList(max).iterator();
        }, true).fold(0, Math::max);
    }

    /**
     * @param dimOrigin where d came from, for messages ("--num-features" or "the largest index in the data")
     */
    static JavaRDD<Tuple2<RowRun, Block>> blocks(JavaNewHadoopRDD<LongWritable, Text> lines, HadoopConf conf, int d, int m,
                                 String dimOrigin, int rowsPerBlock) {
        return lines.mapPartitionsWithInputSplit((split, records) -> {
            TextSplit where = new TextSplit(split, conf);
            return new RowPacker<Tuple2<LongWritable, Text>>(records, d, m, rowsPerBlock) {
                @Override
                String fileOf(Tuple2<LongWritable, Text> r) { return where.file.toString(); }

                @Override
                long runStart() { return where.start; }

                @Override
                boolean parse(Tuple2<LongWritable, Text> r, double[] x, int xOff, double[] y, int yOff) {
                    where.advance(r._1().get());
                    return LibSvmInput.parse(r._2().getBytes(), r._2().getLength(), x, xOff, m > 0 ? y : null, yOff,
                            d, where, dimOrigin) >= 0;
                }
            };
        }, true);
    }

    /**
     * Parses one line. Writes the label to {@code y[yOff]} (if y is not null) and each listed feature
     * to {@code x[xOff + index - 1]} (if x is not null; the row must be zero beforehand).
     *
     * @return the largest index on the line (0 if none), or -1 for a blank or comment-only line
     */
    static int parse(byte[] b, int len, double[] x, int xOff, double[] y, int yOff, int d, TextSplit where, String dimOrigin) {
        for (int i = 0; i < len; i++) {
            if (b[i] == '#') {
                len = i;
                break;
            }
        }
        int i = skipBlanks(b, 0, len);
        if (i == len) return -1;
        int end = tokenEnd(b, i, len);
        double label;
        try {
            label = AsciiNumbers.parseDouble(b, i, end);
        } catch (NumberFormatException e) {
            throw new UserInputException(where.where() + ": the label '" + AsciiNumbers.text(b, i, end)
                    + "' is not a number: each line must be 'label index:value index:value ...'");
        }
        if (!Double.isFinite(label)) {
            throw new UserInputException(where.where() + ": the label " + AsciiNumbers.text(b, i, end)
                    + " is not finite (NaN or Inf); relulearn needs finite numbers: fix or remove that line");
        }
        if (y != null) y[yOff] = label;
        int previous = 0;
        i = skipBlanks(b, end, len);
        while (i < len) {
            end = tokenEnd(b, i, len);
            int colon = -1;
            for (int k = i; k < end; k++) {
                if (b[k] == ':') {
                    colon = k;
                    break;
                }
            }
            if (colon < 0) {
                throw new UserInputException(where.where() + ": '" + AsciiNumbers.text(b, i, end)
                        + "' is not index:value: each line must be 'label index:value index:value ...'");
            }
            int index = AsciiNumbers.parseIndex(b, i, colon);
            if (index < 1) {
                throw new UserInputException(where.where() + ": feature index '" + AsciiNumbers.text(b, i, colon)
                        + "' is not a positive integer: LibSVM indices are 1-based (1, 2, ...)");
            }
            if (index <= previous) {
                throw new UserInputException(where.where() + ": feature index " + index + " comes after index " + previous
                        + ": LibSVM indices must be strictly ascending on each line; sort them");
            }
            if (index > d) {
                throw new UserInputException(where.where() + ": wrong dimension: feature index " + index
                        + " exceeds the number of features d=" + d + " (" + dimOrigin
                        + "): pass the right --num-features or fix the line");
            }
            double v;
            try {
                v = AsciiNumbers.parseDouble(b, colon + 1, end);
            } catch (NumberFormatException e) {
                throw new UserInputException(where.where() + ", feature " + index + ": non-numeric value '"
                        + AsciiNumbers.text(b, colon + 1, end) + "' is not a number: fix that entry");
            }
            if (!Double.isFinite(v)) {
                throw new UserInputException(where.where() + ", feature " + index + ": value " + AsciiNumbers.text(b, colon + 1, end)
                        + " is not finite (NaN or Inf); relulearn needs finite numbers: fix or remove that line");
            }
            if (x != null) x[xOff + index - 1] = v;
            previous = index;
            i = skipBlanks(b, end, len);
        }
        return previous;
    }

    private static int skipBlanks(byte[] b, int i, int len) {
        while (i < len && AsciiNumbers.isBlank(b[i])) i++;
        return i;
    }

    private static int tokenEnd(byte[] b, int i, int len) {
        while (i < len && !AsciiNumbers.isBlank(b[i])) i++;
        return i;
    }
}
