package org.relulearn.spark;

import java.util.Arrays;
import java.util.Iterator;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.relulearn.error.UserInputException;
import org.relulearn.data.Block;
import scala.Tuple2;

/**
 * CSV files with a header to blocks, parsed on the executors from Hadoop's text input: every
 * file's own header maps its columns (so files may order them differently) and must give the same
 * d and m as the first file. Numbers are parsed from the line's bytes into the block
 * ({@link AsciiNumbers}); blank lines are skipped. See {@link TextSplit} for how line numbers in
 * messages are found.
 */
final class CsvInput {
    private CsvInput() {}

    /**
     * @param shapeOrigin where the expected (d, m) came from, for messages ("the first file X" or
     *                    "--num-features")
     */
    static JavaRDD<Tuple2<RowRun, Block>> blocks(JavaNewHadoopRDD<LongWritable, Text> lines, HadoopConf conf, int d, int m,
                                 String shapeOrigin, String featurePrefix, String labelName, int rowsPerBlock) {
        return lines.mapPartitionsWithInputSplit((split, records) -> {
            TextSplit where = new TextSplit(split, conf);
            String file = where.file.toString();
            byte[] headerLine;
            if (where.start == 0) {
                if (!records.hasNext()) {
                    throw new UserInputException(file + " is empty: a CSV input file needs a header line ("
                            + featurePrefix + "0," + featurePrefix + "1,...) and data rows: remove the file or fill it");
                }
                Tuple2<LongWritable, Text> first = records.next();
                where.advance(first._1().get());
                headerLine = Arrays.copyOf(first._2().getBytes(), first._2().getLength());
            } else {
                headerLine = TextSplit.firstLine(conf, where.file);
            }
            CsvHeader header = CsvHeader.parse(headerLine, file, featurePrefix, labelName);
            if (header.d != d) {
                throw new UserInputException(file + ": wrong dimension: the header (" + header.describe() + ") has "
                        + header.d + " feature columns but " + shapeOrigin + " has d=" + d
                        + ": every file must have the same columns (check the file, or --num-features)");
            }
            if (header.m != m) {
                throw new UserInputException(file + ": the header (" + header.describe() + ") has " + header.m
                        + " label columns but " + shapeOrigin + " has m=" + m + ": every file must have the same columns");
            }
            return new Packer(records, header, where, rowsPerBlock);
        }, true);
    }

    /** Parses the data lines of one split. */
    private static final class Packer extends RowPacker<Tuple2<LongWritable, Text>> {
        private final CsvHeader header;
        private final int[] target;
        private final TextSplit where;
        private final int d;

        Packer(Iterator<Tuple2<LongWritable, Text>> records, CsvHeader header, TextSplit where, int rowsPerBlock) {
            super(records, header.d, header.m, rowsPerBlock);
            this.header = header;
            this.target = header.target;
            this.where = where;
            this.d = header.d;
        }

        @Override
        String fileOf(Tuple2<LongWritable, Text> record) { return where.file.toString(); }

        @Override
        long runStart() { return where.start; }

        @Override
        boolean parse(Tuple2<LongWritable, Text> record, double[] x, int xOff, double[] y, int yOff) {
            where.advance(record._1().get());
            Text line = record._2();
            byte[] b = line.getBytes();
            int len = line.getLength();
            if (isBlank(b, len)) return false;
            int fields = target.length;
            int field = 0, start = 0;
            for (int i = 0; i <= len; i++) {
                if (i < len && b[i] != ',') continue;
                if (field >= fields) throw ragged(b, len);
                int t = target[field];
                if (t >= 0) {
                    double v;
                    try {
                        v = AsciiNumbers.parseDouble(b, start, i);
                    } catch (NumberFormatException e) {
                        throw new UserInputException(where.where() + ", column " + header.names[field]
                                + ": non-numeric cell '" + AsciiNumbers.text(b, start, i).trim()
                                + "' is not a number: fix that cell (plain decimals like -1.5 or 2e-3)");
                    }
                    if (!Double.isFinite(v)) {
                        throw new UserInputException(where.where() + ", column " + header.names[field] + ": value "
                                + AsciiNumbers.text(b, start, i).trim() + " is not finite (NaN or Inf);"
                                + " relulearn needs finite numbers: fix or remove that row");
                    }
                    if (t < d) x[xOff + t] = v;
                    else y[yOff + t - d] = v;
                }
                field++;
                start = i + 1;
            }
            if (field != fields) throw ragged(b, len);
            return true;
        }

        private UserInputException ragged(byte[] b, int len) {
            int n = 1;
            for (int i = 0; i < len; i++) if (b[i] == ',') n++;
            return new UserInputException(where.where() + ": ragged row: " + n + " fields but the header has "
                    + target.length + " (" + header.describe() + "): give every row one value per column");
        }

        private static boolean isBlank(byte[] b, int len) {
            for (int i = 0; i < len; i++) if (!AsciiNumbers.isBlank(b[i])) return false;
            return true;
        }
    }
}
