package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the table records the enricher instances skipped as re-sent older versions of a row
 * ({@code enricher_table_stale_skipped_total{join}} on each instance's {@code /metrics}), per phase.
 *
 * <p>A counter lives as long as its process, and the faults kill processes: so each instance is scraped just before
 * each fault strikes and at the end of each phase (a few requests per phase, not to load the instances), a counter
 * lower than at the last scrape means a new process (its predecessor's last value is kept), and growth is credited
 * to the phase of that scrape. What an unexpectedly dying process skipped after its last scrape is not seen, and a
 * global store's restore re-runs the updater, which skips and counts the topic's re-sent records again: the count
 * says that skipping happened and roughly how much, not an exact number. Each instance's global table skips the
 * re-sent rows itself, so a re-sent row of the global join counts once per instance.
 */
final class StaleSkipTally {

    static final String METRIC = "enricher_table_stale_skipped_total";
    private static final Pattern SAMPLE = Pattern.compile(
            "^" + METRIC + "\\{[^}]*join=\"([^\"]*)\"[^}]*}\\s+([0-9.eE+]+)\\s*$", Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** Per instance and join, the value at the last scrape. */
    private final Map<String, Map<String, Long>> last = new HashMap<>();
    /** Per phase, the skips seen (all joins). */
    private final Map<Integer, Long> byPhase = new TreeMap<>();
    /** Per join, the skips seen (all phases). */
    private final Map<String, Long> byJoin = new TreeMap<>();

    /** Scrapes one instance's {@code /metrics} on {@code port} and credits growth to {@code phase}; quiet if down. */
    void scrape(String instance, int port, int phase) {
        if (port <= 0) {
            return;
        }
        String body;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return;
            }
            body = response.body();
        } catch (IOException e) {
            return; // down or not listening yet: the next scrape sees it again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        record(instance, parse(body), phase);
    }

    /** Credits the growth of {@code instance}'s counters since the last scrape to {@code phase}. */
    void record(String instance, Map<String, Long> counters, int phase) {
        Map<String, Long> before = last.computeIfAbsent(instance, i -> new HashMap<>());
        counters.forEach((join, now) -> {
            long previous = before.getOrDefault(join, 0L);
            // Lower than before: a new process, whose count started at 0.
            long grown = now >= previous ? now - previous : now;
            before.put(join, now);
            byJoin.merge(join, grown, Long::sum);
            if (grown > 0) {
                byPhase.merge(phase, grown, Long::sum);
            }
        });
    }

    /** The per-join counters of a Prometheus text exposition. */
    static Map<String, Long> parse(String metrics) {
        Map<String, Long> counters = new HashMap<>();
        Matcher m = SAMPLE.matcher(metrics);
        while (m.find()) {
            counters.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return counters;
    }

    long inPhase(int phase) {
        return byPhase.getOrDefault(phase, 0L);
    }

    /** Per join, over the run; a join appears once its counter was read, at 0 too. */
    Map<String, Long> byJoin() {
        return Map.copyOf(byJoin);
    }

    long total() {
        return byJoin.values().stream().mapToLong(Long::longValue).sum();
    }
}
