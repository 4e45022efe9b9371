package org.relulearn.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.relulearn.error.UserInputException;

/**
 * The column layout of a CSV file, from its header line: features named {@code <prefix>0 ..
 * <prefix>(d-1)} (default {@code x0..x{d-1}}) and labels named {@code <label>} (one output) or
 * {@code <label>0 .. <label>(m-1)} (default {@code y} or {@code y0..y{m-1}}), in any order.
 * {@code target[c]} says where field c goes: feature j is j, label i is d + i. With the label name
 * {@code none} the data is unlabeled and columns that are not features are skipped (-1).
 */
final class CsvHeader implements Serializable {
    private static final long serialVersionUID = 1L;

    final String[] names;
    final int[] target;
    final int d;
    final int m;

    private CsvHeader(String[] names, int[] target, int d, int m) {
        this.names = names;
        this.target = target;
        this.d = d;
        this.m = m;
    }

    /** The header's column names, comma separated, trimmed, unquoted, without a UTF-8 byte-order mark. */
    static String[] splitNames(byte[] line) {
        String s = new String(line, StandardCharsets.UTF_8);
        if (s.startsWith("\uFEFF")) s = s.substring(1);
        String[] names = s.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            String n = names[i].trim();
            if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) n = n.substring(1, n.length() - 1).trim();
            names[i] = n;
        }
        return names;
    }

    /**
     * Parses and checks a header.
     *
     * @throws UserInputException naming the file and the problem: no header (the line is data),
     *                            unknown, duplicate or missing columns, no label column
     */
    static CsvHeader parse(byte[] line, String file, String featurePrefix, String labelName) {
        String[] names = splitNames(line);
        boolean unlabeled = FileSources.NO_LABEL.equals(labelName);
        String expected = featurePrefix + "0," + featurePrefix + "1,..." + (unlabeled ? "" : "," + labelName);
        if (looksLikeData(names)) {
            throw new UserInputException(file + " line 1: missing header: the first line is data ('"
                    + shorten(String.join(",", names)) + "'); relulearn's CSV input needs a header naming the columns,"
                    + " e.g. " + expected + " (features " + featurePrefix + "0.." + featurePrefix + "{d-1}"
                    + (unlabeled ? "" : ", label " + labelName + " or " + labelName + "0.." + labelName + "{m-1}")
                    + "): add one as the first line");
        }
        int[] target = new int[names.length];
        int[] featureCol = new int[names.length];
        int[] labelCol = new int[names.length];
        Arrays.fill(featureCol, -1);
        Arrays.fill(labelCol, -1);
        int maxFeature = -1, maxLabel = -1;
        int singleLabelCol = -1;
        for (int c = 0; c < names.length; c++) {
            String n = names[c];
            int f = indexAfter(n, featurePrefix);
            if (f >= names.length) throw gap(file, n, featurePrefix, names.length);
            if (f >= 0) {
                if (featureCol[f] >= 0) throw duplicate(file, n);
                featureCol[f] = c;
                target[c] = f;
                maxFeature = Math.max(maxFeature, f);
                continue;
            }
            if (!unlabeled && n.equals(labelName)) {
                if (singleLabelCol >= 0) throw duplicate(file, n);
                singleLabelCol = c;
                target[c] = -2;    // resolved below, once d is known
                continue;
            }
            int l = unlabeled ? -1 : indexAfter(n, labelName);
            if (l >= names.length) throw gap(file, n, labelName, names.length);
            if (l >= 0) {
                if (labelCol[l] >= 0) throw duplicate(file, n);
                labelCol[l] = c;
                target[c] = -3 - l;  // resolved below
                maxLabel = Math.max(maxLabel, l);
                continue;
            }
            if (unlabeled) {
                target[c] = -1;
                continue;
            }
            throw new UserInputException(file + " line 1: unexpected column '" + n + "' in the header (columns: "
                    + shorten(String.join(",", names)) + "); expected only features " + featurePrefix + "0.."
                    + featurePrefix + "{d-1} and the label " + labelName + " or " + labelName + "0.." + labelName
                    + "{m-1}: remove that column, or name the columns with --features-col/--label-col");
        }
        if (maxFeature < 0) {
            throw new UserInputException(file + " line 1: no feature columns in the header (columns: "
                    + shorten(String.join(",", names)) + "): name them " + featurePrefix + "0.." + featurePrefix
                    + "{d-1}, or give their prefix with --features-col");
        }
        int d = maxFeature + 1;
        for (int j = 0; j < d; j++) {
            if (featureCol[j] < 0) {
                throw new UserInputException(file + " line 1: the header has " + featurePrefix + maxFeature
                        + " but no column " + featurePrefix + j + "; features must be " + featurePrefix + "0.."
                        + featurePrefix + "{d-1} without gaps: add or rename the column");
            }
        }
        int m;
        if (singleLabelCol >= 0 && maxLabel >= 0) {
            throw new UserInputException(file + " line 1: the header has both '" + labelName + "' and '"
                    + labelName + "0'-style label columns: use " + labelName + " for one output or "
                    + labelName + "0.." + labelName + "{m-1} for several");
        } else if (singleLabelCol >= 0) {
            m = 1;
            target[singleLabelCol] = d;
        } else {
            m = maxLabel + 1;
            for (int i = 0; i < m; i++) {
                if (labelCol[i] < 0) {
                    throw new UserInputException(file + " line 1: the header has " + labelName + maxLabel
                            + " but no column " + labelName + i + "; labels must be " + labelName + "0.."
                            + labelName + "{m-1} without gaps: add or rename the column");
                }
                target[labelCol[i]] = d + i;
            }
        }
        if (m == 0 && !unlabeled) {
            throw new UserInputException(file + ": missing label column: the header (" + shorten(String.join(",", names))
                    + ") has no column named " + labelName + " or " + labelName + "0.." + labelName
                    + "{m-1}; add the label column, name it with --label-col NAME, or pass --label-col none for unlabeled data");
        }
        return new CsvHeader(names, target, d, m);
    }

    /** j if {@code name} is prefix followed by the decimal j, else -1. */
    private static int indexAfter(String name, String prefix) {
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() - prefix.length() > 9) return -1;
        int v = 0;
        for (int i = prefix.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean looksLikeData(String[] names) {
        for (String n : names) {
            if (n.isEmpty()) continue;
            try {
                Double.parseDouble(n);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static UserInputException gap(String file, String name, String prefix, int columns) {
        return new UserInputException(file + " line 1: column '" + name + "' is numbered beyond the " + columns
                + " columns of the header; columns must be numbered " + prefix + "0, " + prefix + "1, ... without gaps: rename it");
    }

    private static UserInputException duplicate(String file, String name) {
        return new UserInputException(file + " line 1: column '" + name + "' appears twice in the header: rename or remove one");
    }

    static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** The column names as one comma-separated string, for messages. */
    String describe() {
        return shorten(String.join(",", names));
    }
}
