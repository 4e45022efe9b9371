package org.relulearn.data;

import java.util.random.RandomGenerator;

/**
 * A counter-based random stream: the state for sample {@code index} of stream {@code stream} under
 * seed {@code seed} is a pure function of those three numbers, so any row can be regenerated on any
 * executor, in any order, after any retry, and gives the same bits.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, 2014): state advances by the golden-ratio
 * increment and each output is a 64-bit finaliser of the state. It passes BigCrush, costs a few
 * multiplies per draw and, unlike {@link java.util.SplittableRandom}, can be re-seeded in place, so
 * a hot loop reseeds one object per row instead of allocating one. Gaussians and exponentials come
 * from the JDK's {@link RandomGenerator} defaults (McFarland's modified ziggurat), driven by our
 * {@link #nextLong()}; they are deterministic functions of that stream.
 */
public final class CounterRng implements RandomGenerator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    public CounterRng() {
        this.state = 0L;
    }

    public CounterRng(long seed, long stream, long index) {
        reset(seed, stream, index);
    }

    /** Positions this generator at the start of row {@code index} of {@code stream}. */
    public CounterRng reset(long seed, long stream, long index) {
        this.state = key(seed, stream, index);
        return this;
    }

    /** Positions this generator at an arbitrary 64-bit key (already mixed). */
    public CounterRng resetKey(long key) {
        this.state = key;
        return this;
    }

    /**
     * A well-mixed 64-bit key for (seed, stream, index): three rounds of the SplitMix64 finaliser,
     * each folding in one coordinate, so neighbouring indices and streams give unrelated keys.
     */
    public static long key(long seed, long stream, long index) {
        long h = mix64(seed + GOLDEN);
        h = mix64(h ^ (stream * 0xBF58476D1CE4E5B9L + GOLDEN));
        h = mix64(h ^ (index * 0x94D049BB133111EBL + 0x632BE59BD9B4E019L));
        return h;
    }

    /** The SplitMix64 / Stafford variant 13 finaliser. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public long nextLong() {
        state += GOLDEN;
        return mix64(state);
    }

    /** A uniform double in [0, 1) with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A uniform double in (0, 1], safe for log. */
    public double nextOpenDouble() {
        return ((nextLong() >>> 11) + 1L) * 0x1.0p-53;
    }

    /** +1 or -1 with equal probability. */
    public double nextSign() {
        return nextLong() < 0 ? -1.0 : 1.0;
    }
}
