package org.relulearn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiNumbersTest {

    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return AsciiNumbers.parseDouble(b, 0, b.length);
    }

    private static void assertSameAsJdk(String s) {
        long expected = Double.doubleToRawLongBits(Double.parseDouble(s.trim()));
        assertEquals(expected, Double.doubleToRawLongBits(parse(s)), s);
    }

    @Test
    void shortestRoundTripFormsOfRandomDoublesParseToTheSameBits() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 300_000; i++) {
            double v = switch (i % 4) {
                case 0 -> rng.nextGaussian();
                case 1 -> rng.nextGaussian() * Math.pow(10, rng.nextInt(-30, 30));
                case 2 -> Double.longBitsToDouble(rng.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);   // any finite magnitude
                default -> (rng.nextBoolean() ? -1 : 1) * rng.nextInt(1, 1_000_000) / 1000.0;
            };
            String s = Double.toString(v);
            assertSameAsJdk(s);
            assertEquals(v, parse(s), s);
        }
    }

    @Test
    void randomDecimalsOfUpTo19DigitsAndWideExponentsAgreeWithTheJdk() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 300_000; i++) {
            int digits = rng.nextInt(1, 21);
            StringBuilder sb = new StringBuilder();
            if (rng.nextBoolean()) sb.append('-');
            for (int k = 0; k < digits; k++) sb.append((char) ('0' + rng.nextInt(10)));
            if (rng.nextBoolean()) sb.insert(sb.length() - rng.nextInt(digits), '.');
            sb.append('e').append(rng.nextInt(-360, 330));
            assertSameAsJdk(sb.toString());
        }
    }

    @Test
    void halfwayCasesAndEdgesAgreeWithTheJdk() {
        String[] cases = {"9007199254740993", "9007199254740995", "9007199254740992.5", "2.2250738585072011e-308",
                "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "1.7976931348623159e308", "1e309",
                "1e-400", "0", "-0", "0.000", "  3.25 ", "\"1.5\"", "+2", "1E5", "1e+5", ".5", "5.", "123456789012345678901234567890",
                "0.1", "0.30000000000000004", "NaN", "-Infinity", "1d", "18446744073709551615", "9999999999999999999"};
        for (String c : cases) {
            String jdk = c.trim().replace("\"", "");
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(jdk)), Double.doubleToRawLongBits(parse(c)), c);
        }
    }

    @Test
    void textThatIsNotANumberIsRejected() {
        for (String bad : new String[] {"", "  ", "abc", "1.2.3", "1e", "--1", "1,5", "inf", "0x"}) {
            assertThrows(NumberFormatException.class, () -> parse(bad), bad);
        }
    }

    @Test
    void indicesParseOrReportMinusOne() {
        byte[] b = "12:3.5 x:1 99999999999:1".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(12, AsciiNumbers.parseIndex(b, 0, 2));
        assertEquals(-1, AsciiNumbers.parseIndex(b, 7, 8));
        assertEquals(-1, AsciiNumbers.parseIndex(b, 11, 22));
        assertEquals(-1, AsciiNumbers.parseIndex(b, 0, 0));
    }
}
