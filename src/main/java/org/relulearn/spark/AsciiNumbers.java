package org.relulearn.spark;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from the bytes of a text line, so reading CSV and LibSVM files
 * allocates nothing per cell in the common case. A decimal is read as w * 10^q with an integer
 * significand w of at most 19 significant digits, then converted by the first path that applies:
 * <ol>
 *   <li>Clinger's fast path: w < 10^15 (< 2^53, exact) and |q| <= 22 (10^q exact): one correctly
 *       rounded IEEE multiplication or division, w * 10^q or w / 10^-q.</li>
 *   <li>Eisel and Lemire's algorithm ("Number parsing at a gigabyte per second", 2021): w, shifted
 *       to 64 bits, times a 128-bit truncation of 10^q gives the 53-bit result and tells whether the
 *       truncation could have changed the rounding; it then declines. This covers the 16- and
 *       17-digit numbers that Java's shortest round-trip {@code Double.toString} (which writes
 *       Spark's CSV) produces.</li>
 *   <li>{@link Double#parseDouble} for everything else (more digits, declined cases, subnormals,
 *       NaN, Infinity, hexadecimal), at the cost of one String.</li>
 * </ol>
 * All three are correctly rounded, so the result equals {@code Double.parseDouble} bit for bit.
 */
final class AsciiNumbers {
    private static final double[] POW10 = new double[23];
    private static final int MAX_CLINGER_DIGITS = 15;
    private static final int MAX_DIGITS = 19;          // 10^19 - 1 < 2^64: w fits an unsigned long
    private static final int MIN_Q = -342, MAX_Q = 308;
    /** 10^q for q in [MIN_Q, MAX_Q], truncated to 128 bits with the top bit set: high and low words. */
    private static final long[] POW10_HI = new long[MAX_Q - MIN_Q + 1];
    private static final long[] POW10_LO = new long[MAX_Q - MIN_Q + 1];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int q = MIN_Q; q <= MAX_Q; q++) {
            BigInteger t;
            if (q >= 0) {
                BigInteger v = BigInteger.TEN.pow(q);
                int shift = v.bitLength() - 128;
                t = shift > 0 ? v.shiftRight(shift) : v.shiftLeft(-shift);
            } else {
                // floor(2^s / 10^-q) with s chosen so the quotient has exactly 128 bits.
                BigInteger v = BigInteger.TEN.pow(-q);
                t = BigInteger.ONE.shiftLeft(127 + v.bitLength()).divide(v);
            }
            POW10_HI[q - MIN_Q] = t.shiftRight(64).longValue();
            POW10_LO[q - MIN_Q] = t.and(mask).longValue();
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
        long significand = 0;    // unsigned: up to 19 digits
        int digits = 0;          // significant digits taken into the significand
        int exponent = 0;        // power of ten applied to the significand
        boolean sawDigit = false;
        boolean exact = true;    // false once a nonzero digit had to be dropped
        while (i < to && isDigit(b[i])) {
            int v = b[i++] - '0';
            sawDigit = true;
            if (digits < MAX_DIGITS) {
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
                if (digits < MAX_DIGITS) {
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
            if (digits <= MAX_CLINGER_DIGITS && exponent >= -22 && exponent <= 22) {
                double v = exponent >= 0 ? significand * POW10[exponent] : significand / POW10[-exponent];
                return negative ? -v : v;
            }
            long bits = eiselLemire(significand, exponent);
            if (bits >= 0) return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
        }
        // Rare forms (17-digit significands, big exponents, NaN, Infinity): the JDK's parser.
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /**
     * The bits of the double nearest to w * 10^q (w > 0, unsigned), or -1 where the algorithm
     * cannot decide (the caller then falls back), for subnormal results, and for overflow.
     */
    static long eiselLemire(long w, int q) {
        if (q < MIN_Q || q > MAX_Q) return -1;
        int clz = Long.numberOfLeadingZeros(w);
        w <<= clz;
        // floor(q * log2(10)) + 64 + bias - clz: the binary exponent before the final shifts.
        long exp2 = ((217706L * q) >> 16) + 64 + 1023 - clz;
        long tHi = POW10_HI[q - MIN_Q], tLo = POW10_LO[q - MIN_Q];
        long hi = unsignedMultiplyHigh(w, tHi);
        long lo = w * tHi;
        if ((hi & 0x1FF) == 0x1FF && Long.compareUnsigned(lo + w, w) < 0) {
            // The truncated table entry may have cost a carry into the kept bits: use its low word too.
            long yHi = unsignedMultiplyHigh(w, tLo);
            long yLo = w * tLo;
            long mergedHi = hi, mergedLo = lo + yHi;
            if (Long.compareUnsigned(mergedLo, lo) < 0) mergedHi++;
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + w, w) < 0) return -1;
            hi = mergedHi;
            lo = mergedLo;
        }
        long msb = hi >>> 63;
        long mantissa = hi >>> (msb + 9);
        exp2 -= 1 ^ msb;
        if (lo == 0 && (hi & 0x1FF) == 0 && (mantissa & 3) == 1) return -1;   // exactly half-way: undecided
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if ((mantissa >>> 53) > 0) {
            mantissa >>>= 1;
            exp2++;
        }
        if (exp2 <= 0 || exp2 >= 0x7FF) return -1;
        return exp2 << 52 | (mantissa & 0x000F_FFFF_FFFF_FFFFL);
    }

    /** The high 64 bits of the unsigned 128-bit product a * b (Math.unsignedMultiplyHigh is Java 18+). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
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
