package io.cdcenricher.ops;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartBackoffTest {

    private static final Instant T = Instant.parse("2026-12-02T03:00:00Z");

    @Test
    void waitsDoubleAfterEachRestartUpToTheMaximum() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));

        assertThat(backoff.mayRestart(T)).isTrue();
        assertThat(backoff.restarted(T)).hasSeconds(10);
        assertThat(backoff.mayRestart(T.plusSeconds(9))).isFalse();
        assertThat(backoff.remaining(T.plusSeconds(4))).hasSeconds(6);
        assertThat(backoff.mayRestart(T.plusSeconds(10))).isTrue();
        assertThat(backoff.restarted(T.plusSeconds(10))).hasSeconds(20);
        assertThat(backoff.restarted(T.plusSeconds(30))).hasSeconds(30);
        assertThat(backoff.restarted(T.plusSeconds(60))).hasSeconds(30);
        assertThat(backoff.restarts()).isEqualTo(4);
    }

    @Test
    void runningStableForTheStablePeriodStartsOverButAShortRunDoesNot() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(60));
        backoff.restarted(T);
        backoff.restarted(T.plusSeconds(10));

        backoff.running(T.plusSeconds(20));
        backoff.running(T.plusSeconds(50));
        backoff.notRunning(); // failed again after 30 s: not stable
        assertThat(backoff.restarted(T.plusSeconds(55))).hasSeconds(40);

        backoff.running(T.plusSeconds(100));
        backoff.running(T.plusSeconds(160));
        assertThat(backoff.restarts()).isZero();
        assertThat(backoff.mayRestart(T.plusSeconds(160))).isTrue();
        assertThat(backoff.restarted(T.plusSeconds(161))).hasSeconds(10);
    }

    @Test
    void aMaximumBelowTheInitialWaitIsRefused() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .hasMessageContaining("initial");
    }
}
