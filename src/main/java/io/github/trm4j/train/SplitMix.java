package io.github.trm4j.train;

import java.util.random.RandomGenerator;

/**
 * A seeded 64-bit generator (SplitMix64) whose whole state is one {@code long}, so a training run
 * can save it and resume the exact same stream. Used by the sampler; not for cryptography.
 */
final class SplitMix implements RandomGenerator {
    private long state;

    SplitMix(long state) {
        this.state = state;
    }

    /** A generator for a sub-stream, e.g. the permutation of one epoch: independent of this one's position. */
    static SplitMix derive(long seed, long stream) {
        SplitMix m = new SplitMix(seed);
        m.state ^= mix(stream * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        return m;
    }

    long state() {
        return state;
    }

    @Override
    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound), without modulo bias (rejects the last partial range of 63-bit draws). */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        while (true) {
            long r = nextLong() >>> 1;
            long m = r % bound;
            if (r - m + (bound - 1) >= 0) return (int) m;
        }
    }

    /** Uniform in [0, 1) with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
