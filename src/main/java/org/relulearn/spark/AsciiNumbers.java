package org.relulearn.spark;

import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from the bytes of a text line, so reading CSV and LibSVM files
 * allocates nothing per cell in the common case.
 *
 * <p>Fast path (Clinger's): a decimal m * 10^e whose significand m has at most 15 digits (so
 * m < 2^53 is exact) and |e| <= 22 (so 10^e is an exact double) is computed as one correctly
 * rounded IEEE multiplication or division, m * 10^e or m / 10^-e. Everything else (more digits,
 * larger exponents, NaN, Infinity, hexadecimal) falls back to {@link Double#parseDouble}, which is
 * correctly rounded too; the two paths therefore agree bit for bit.
 */
final class AsciiNumbers {
    private static final double[] POW10 = new double[23];
    private static final int MAX_FAST_DIGITS = 15;

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private AsciiNumbers() {}

    /**
     * The number in {@code b[from, to)} after trimming blanks and one pair of double quotes.
     *
     * @throws NumberFormatException if the text is not a number (the caller names file, line and column)
     */
    static double parseDouble(byte[] b, int from, int to) {
        while (from < to && isBlank(b[from])) from++;
        while (to > from && isBlank(b[to - 1])) to--;
        if (to - from >= 2 && b[from] == '"' && b[to - 1] == '"') {
            from++;
            to--;
        }
        if (from == to) throw new NumberFormatException("empty cell");
        int i = from;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        long significand = 0;
        int digits = 0;          // significant digits taken into the significand
        int exponent = 0;        // power of ten applied to the significand
        boolean sawDigit = false;
        boolean exact = true;    // false once a nonzero digit had to be dropped
        while (i < to && isDigit(b[i])) {
            int v = b[i++] - '0';
            sawDigit = true;
            if (digits < MAX_FAST_DIGITS) {
                if (significand != 0 || v != 0) digits++;
                significand = significand * 10 + v;
            } else {
                exponent++;
                if (v != 0) exact = false;
            }
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && isDigit(b[i])) {
                int v = b[i++] - '0';
                sawDigit = true;
                if (digits < MAX_FAST_DIGITS) {
                    if (significand != 0 || v != 0) digits++;
                    significand = significand * 10 + v;
                    exponent--;
                } else if (v != 0) {
                    exact = false;
                }
            }
        }
        if (sawDigit && i < to && (b[i] == 'e' || b[i] == 'E')) {
            int j = i + 1;
            boolean expNegative = false;
            if (j < to && (b[j] == '-' || b[j] == '+')) {
                expNegative = b[j] == '-';
                j++;
            }
            int e = 0;
            boolean expDigit = false;
            while (j < to && isDigit(b[j])) {
                expDigit = true;
                if (e < 100_000) e = e * 10 + (b[j] - '0');
                j++;
            }
            if (expDigit) {
                exponent += expNegative ? -e : e;
                i = j;
            }
        }
        if (sawDigit && i == to && exact) {
            if (significand == 0) return negative ? -0.0 : 0.0;
            if (exponent >= -22 && exponent <= 22) {
                double v = exponent >= 0 ? significand * POW10[exponent] : significand / POW10[-exponent];
                return negative ? -v : v;
            }
        }
        // Rare forms (17-digit significands, big exponents, NaN, Infinity): the JDK's parser.
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** A non-negative decimal integer in {@code b[from, to)}; -1 if it is not one (or overflows an int). */
    static int parseIndex(byte[] b, int from, int to) {
        if (from >= to) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(b[i])) return -1;
            v = v * 10 + (b[i] - '0');
            if (v > Integer.MAX_VALUE) return -1;
        }
        return (int) v;
    }

    static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** The text of {@code b[from, to)} for an error message, shortened if long. */
    static String text(byte[] b, int from, int to) {
        int n = Math.min(to - from, 60);
        String s = new String(b, from, n, StandardCharsets.UTF_8);
        return n < to - from ? s + "..." : s;
    }
}
