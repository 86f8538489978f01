package io.cdcenricher.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KeySamplerTest {

    @Test
    void zipfProbabilitiesFollowOneOverKToTheExponentAndSumToOne() {
        KeySampler zipf = KeySampler.zipf(1_000, 1.0, 1);
        double sum = 0;
        for (int k = 1; k <= 1_000; k++) {
            sum += zipf.probability(k);
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        assertThat(zipf.probability(1) / zipf.probability(2)).isCloseTo(2.0, within(1e-9));
        assertThat(zipf.probability(1) / zipf.probability(10)).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void zipfDrawsStayInRangeAndFavourTheFirstIds() {
        KeySampler zipf = KeySampler.zipf(10_000, 0.99, 7);
        int[] counts = new int[10_001];
        for (int i = 0; i < 200_000; i++) {
            int id = zipf.next();
            assertThat(id).isBetween(1, 10_000);
            counts[id]++;
        }
        assertThat(counts[1]).isGreaterThan(counts[2]).isGreaterThan(counts[100]);
        double expectedShareOfId1 = zipf.probability(1);
        assertThat(counts[1] / 200_000.0).isCloseTo(expectedShareOfId1, within(0.01));
    }

    @Test
    void uniformDrawsCoverTheRangeEvenly() {
        KeySampler uniform = KeySampler.uniform(10, 3);
        int[] counts = new int[11];
        for (int i = 0; i < 100_000; i++) {
            counts[uniform.next()]++;
        }
        assertThat(counts[0]).isZero();
        for (int id = 1; id <= 10; id++) {
            assertThat(counts[id] / 100_000.0).isCloseTo(0.1, within(0.01));
        }
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        KeySampler a = KeySampler.zipf(500, 1.2, 42);
        KeySampler b = KeySampler.zipf(500, 1.2, 42);
        for (int i = 0; i < 1_000; i++) {
            assertThat(a.next()).isEqualTo(b.next());
        }
    }
}
