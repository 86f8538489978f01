package io.cdcenricher.perf;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws customer ids in {@code 1..n}: uniformly, or zipf-distributed (id 1 the most frequent, P(k) proportional to
 * 1/k^s) by inverting a precomputed cumulative distribution with a binary search: exact, and O(log n) per draw.
 */
public final class KeySampler {

    private final int n;
    private final double[] cumulative; // null for uniform
    private final SplittableRandom random;

    private KeySampler(int n, double[] cumulative, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        this.n = n;
        this.cumulative = cumulative;
        this.random = new SplittableRandom(seed);
    }

    public static KeySampler uniform(int n, long seed) {
        return new KeySampler(n, null, seed);
    }

    public static KeySampler zipf(int n, double exponent, long seed) {
        if (n < 1 || exponent <= 0) {
            throw new IllegalArgumentException("zipf needs n >= 1 and an exponent > 0");
        }
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1.0 / Math.pow(k, exponent);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        cumulative[n - 1] = 1.0;
        return new KeySampler(n, cumulative, seed);
    }

    public static KeySampler of(PerfOptions.Skew skew, int n, double exponent, long seed) {
        return skew == PerfOptions.Skew.ZIPF ? zipf(n, exponent, seed) : uniform(n, seed);
    }

    /** The next id, in {@code 1..n}. */
    public int next() {
        if (cumulative == null) {
            return 1 + random.nextInt(n);
        }
        double u = random.nextDouble();
        int index = Arrays.binarySearch(cumulative, u);
        return 1 + (index >= 0 ? index : -index - 1);
    }

    /** The probability of id {@code k} (for tests and the report). */
    public double probability(int k) {
        if (k < 1 || k > n) {
            return 0;
        }
        if (cumulative == null) {
            return 1.0 / n;
        }
        return k == 1 ? cumulative[0] : cumulative[k - 1] - cumulative[k - 2];
    }

    public int size() {
        return n;
    }
}
