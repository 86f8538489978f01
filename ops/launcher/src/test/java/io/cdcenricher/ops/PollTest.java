package io.cdcenricher.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    private static final Duration NO_PAUSE = Duration.ZERO;

    @Test
    void shouldReturnTheFirstObservationThatIsDone() {
        AtomicInteger count = new AtomicInteger();

        int seen = Poll.until("three", Duration.ofSeconds(5), NO_PAUSE, count::incrementAndGet, n -> n >= 3);

        assertThat(seen).isEqualTo(3);
    }

    @Test
    void shouldNameWhatWasAwaitedAndTheLastObservationOnTimeout() {
        assertThatThrownBy(() -> Poll.until("the answer", Duration.ofMillis(50), Duration.ofMillis(10),
                () -> "41", "42"::equals))
                .isInstanceOf(PollTimeoutException.class)
                .hasMessage("timed out after 50 ms waiting for the answer; last observed: 41")
                .satisfies(e -> assertThat(((PollTimeoutException) e).lastObservation()).isEqualTo("41"));
    }

    @Test
    void shouldLookOnceMoreAtTheDeadlineRatherThanFailUnseen() {
        AtomicInteger looks = new AtomicInteger();
        long start = System.nanoTime();

        // The timeout is long enough that the first look cannot outlast it even on a loaded machine (with 30 ms a
        // descheduled first look sometimes did, leaving one look), and far shorter than the interval.
        assertThatThrownBy(() -> Poll.until("never", Duration.ofSeconds(1), Duration.ofSeconds(30),
                () -> looks.incrementAndGet() < 0))
                .isInstanceOf(PollTimeoutException.class)
                .hasMessage("timed out after 1 s waiting for never");
        assertThat(looks).as("a look at the start and one at the deadline").hasValue(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the interval was cut at the deadline")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void shouldLookAtLeastOnceWithAZeroTimeout() {
        assertThat(Poll.until("now", Duration.ZERO, NO_PAUSE, () -> "x", "x"::equals)).isEqualTo("x");
    }

    @Test
    void shouldEndAtOnceWhenTheObserverGivesUp() {
        AtomicInteger looks = new AtomicInteger();

        assertThatThrownBy(() -> Poll.until("a live process", Duration.ofSeconds(30), Duration.ofMillis(10), () -> {
            looks.incrementAndGet();
            throw new StackException("it exited");
        })).isInstanceOf(StackException.class).hasMessage("it exited");
        assertThat(looks).hasValue(1);
    }

    @Test
    void shouldGiveTheLastObservationFromABestEffortWaitThatRanOut() {
        AtomicInteger count = new AtomicInteger();

        assertThat(Poll.upTo("more", Duration.ofMillis(30), Duration.ofMillis(5), count::incrementAndGet, n -> n > 1000))
                .isEqualTo(count.get()).isPositive();
        assertThat(Poll.upTo("three", Duration.ofSeconds(5), NO_PAUSE, count::incrementAndGet, n -> n % 3 == 0) % 3)
                .isZero();
    }

    @Test
    void shouldStopOnInterruptKeepingTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Poll.until("x", Duration.ofSeconds(5), Duration.ofSeconds(1), () -> false))
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("interrupted while waiting for x");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldWordDurationsForPeople() {
        assertThat(PollTimeoutException.format(Duration.ofMillis(700))).isEqualTo("700 ms");
        assertThat(PollTimeoutException.format(Duration.ofSeconds(90))).isEqualTo("90 s");
        assertThat(PollTimeoutException.format(Duration.ofMillis(2_500))).isEqualTo("2.5 s");
    }
}
