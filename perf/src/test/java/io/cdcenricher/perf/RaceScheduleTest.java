package io.cdcenricher.perf;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RaceScheduleTest {

    @Test
    void roundRRunsTheListRotatedByR() {
        assertThat(RaceSchedule.rounds(List.of("a", "b", "c"), 3)).containsExactly(
                List.of("a", "b", "c"), List.of("b", "c", "a"), List.of("c", "a", "b"));
    }

    @Test
    void withAsManyRoundsAsEntriesEveryEntryRunsFirstOnce() {
        List<String> entries = List.of("enricher-jar", "enricher", "diy", "passthrough");
        List<List<String>> rounds = RaceSchedule.rounds(entries, 4);
        assertThat(rounds.stream().map(r -> r.get(0))).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(rounds.stream().map(r -> r.get(r.size() - 1))).containsExactlyInAnyOrderElementsOf(entries);
    }

    @Test
    void moreRoundsThanEntriesKeepRotating() {
        assertThat(RaceSchedule.rounds(List.of("a", "b"), 3)).containsExactly(
                List.of("a", "b"), List.of("b", "a"), List.of("a", "b"));
    }

    @Test
    void fewerRoundsThanEntriesSpreadTheFirstPlacesOverTheList() {
        List<String> seven = List.of("a", "b", "c", "d", "e", "f", "g");
        List<List<String>> rounds = RaceSchedule.rounds(seven, 3);
        assertThat(rounds.stream().map(r -> r.get(0))).containsExactly("a", "c", "e");
        // no entry is last in more than one round, and each round still runs every entry once
        assertThat(rounds.stream().map(r -> r.get(6)).collect(Collectors.toSet())).hasSize(3);
        assertThat(rounds).allSatisfy(r -> assertThat(Set.copyOf(r)).isEqualTo(Set.copyOf(seven)));
    }

    @Test
    void theQuickProfilesTwoRoundsStartAtOppositeEnds() {
        List<String> seven = List.of("a", "b", "c", "d", "e", "f", "g");
        List<List<String>> rounds = RaceSchedule.rounds(seven, 2);
        assertThat(rounds.get(0)).startsWith("a");
        assertThat(rounds.get(1)).startsWith("d").endsWith("c");
    }

    @Test
    void oneRoundIsTheListAsGiven() {
        assertThat(RaceSchedule.rounds(List.of("a", "b"), 1)).containsExactly(List.of("a", "b"));
        assertThat(RaceSchedule.rounds(List.<String>of(), 2)).containsExactly(List.of(), List.of());
    }

    @Test
    void theWarmUpDrainsATenthOfTheInputButAtLeastAThousand() {
        assertThat(RaceSchedule.warmUpShare(5_000_000)).isEqualTo(500_000);
        assertThat(RaceSchedule.warmUpShare(200_000)).isEqualTo(20_000);
        assertThat(RaceSchedule.warmUpShare(5_000)).isEqualTo(1_000);
        assertThat(RaceSchedule.warmUpShare(400)).isEqualTo(400);
    }
}
