package io.cdcenricher.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The work of {@code ops/connectors status}: reads a connector's state, committed offset and its database's binlog
 * position twice, {@code window} apart, counts the captured changes still waiting in the binlog, and judges
 * ({@link CaptureVerdict}); then adds the age of the last record of each of its topics.
 */
public final class CaptureCheck {

    /** Binlog events one status reads at most after the committed offset, to stay quick on a large backlog. */
    static final int SCAN_LIMIT = 20_000;

    private final ConnectRestClient rest;
    private final DatabaseLogin login;
    private final String bootstrapServers;
    private final Clock clock;

    public CaptureCheck(ConnectRestClient rest, DatabaseLogin login, String bootstrapServers) {
        this(rest, login, bootstrapServers, Clock.systemUTC());
    }

    CaptureCheck(ConnectRestClient rest, DatabaseLogin login, String bootstrapServers, Clock clock) {
        this.rest = rest;
        this.login = login;
        this.bootstrapServers = bootstrapServers;
        this.clock = clock;
    }

    /** The verdict and the topic lines. */
    public record Result(CaptureVerdict verdict, List<String> topics) {

        public int exitCode() {
            return verdict.exitCode();
        }

        public List<String> lines() {
            List<String> lines = new ArrayList<>(verdict.lines());
            topics.forEach(t -> lines.add("  " + t));
            return lines;
        }
    }

    public Result check(String name, Duration window) {
        Optional<Map<String, String>> config = rest.config(name);
        if (config.isEmpty()) {
            CaptureObservation none = new CaptureObservation(clock.instant(), Optional.empty(), Optional.empty(),
                    Optional.empty(), "");
            return new Result(CaptureVerdict.judge(name, none, none, Optional.empty()), List.of());
        }
        CaptureObservation first = observe(name, config.get());
        if (first.status().isPresent()) {
            pause(window);
        }
        CaptureObservation second = observe(name, config.get());
        Optional<PendingChanges> pending = Optional.empty();
        StringBuilder problems = new StringBuilder(second.problems());
        if (second.offset().isPresent() && first.binlogEnd().isPresent()
                && second.offset().get().position().isBefore(first.binlogEnd().get())) {
            try {
                pending = Optional.of(pending(config.get(), second.offset().get(), first.binlogEnd().get()));
            } catch (StackException | SQLException e) {
                problems.append(problems.isEmpty() ? "" : "; ").append("binlog after the committed offset: ")
                        .append(e.getMessage());
            }
        }
        CaptureObservation judged = new CaptureObservation(second.at(), second.status(), second.offset(),
                second.binlogEnd(), problems.toString());
        CaptureVerdict verdict = CaptureVerdict.judge(name, first, judged, pending);
        List<String> topics = TopicAges.describe(bootstrapServers, topicsOf(name), clock.instant());
        return new Result(verdict, topics);
    }

    private CaptureObservation observe(String name, Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        Optional<ConnectorStatus> status = rest.status(name);
        Optional<CommittedOffset> offset = Optional.empty();
        try {
            offset = rest.offsets(name).flatMap(CommittedOffset::parse);
        } catch (StackException e) {
            problems.add("committed offset: " + e.getMessage());
        }
        Optional<BinlogPosition> end = Optional.empty();
        try (Connection connection = login.connect(config)) {
            end = Optional.of(new BinlogReader(connection).end());
        } catch (StackException | SQLException e) {
            problems.add("database binlog position: " + e.getMessage());
        }
        return new CaptureObservation(clock.instant(), status, offset, end, String.join("; ", problems));
    }

    private PendingChanges pending(Map<String, String> config, CommittedOffset offset, BinlogPosition end)
            throws SQLException {
        try (Connection connection = login.connect(config)) {
            BinlogReader.Events events = new BinlogReader(connection).events(offset.position(), end, SCAN_LIMIT);
            return PendingChanges.count(events.events(), offset.insideTransaction(), CapturedTables.of(config),
                    events.truncated());
        }
    }

    private List<String> topicsOf(String name) {
        try {
            return rest.topics(name);
        } catch (StackException e) {
            return List.of();
        }
    }

    private static void pause(Duration window) {
        try {
            Thread.sleep(window.toMillis()); // the window is the point: a second look some seconds later
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted between the two reads");
        }
    }
}
