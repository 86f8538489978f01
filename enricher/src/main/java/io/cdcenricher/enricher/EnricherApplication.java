package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.SecretMasker;
import io.cdcenricher.enricher.capture.CaptureLag;
import io.cdcenricher.enricher.capture.HeartbeatReader;
import io.cdcenricher.enricher.http.Health;
import io.cdcenricher.enricher.http.OperationsServer;
import io.cdcenricher.enricher.http.TableAnswer;
import io.cdcenricher.enricher.internals.ReferenceTable;
import io.cdcenricher.enricher.internals.StartupGate;
import io.cdcenricher.enricher.internals.StartupGateCapture;
import io.cdcenricher.enricher.internals.StoreTableQueries;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enricher's lifecycle: the start-up checks, one Kafka Streams client at a time, the operations endpoints, and a
 * clean stop on SIGTERM (leaving the group, so the other instances take over at once).
 *
 * <p>Local state that does not match the cluster never stops the service: {@link LocalStateGuard} removes what it
 * can recognise before a client starts, and when Kafka Streams itself finds a store's offset out of range of its
 * topic (a global store on a truncated table topic, at start-up or while running) it removes the store and ends
 * the client; this class then starts a new client, which rebuilds the store from its topic. Such rebuilds are
 * bounded ({@value #MAX_REBUILDS} in {@link #REBUILD_WINDOW}) so that a state that cannot be repaired ends in an
 * exit, not a loop.
 */
final class EnricherApplication {

    static final int MAX_REBUILDS = 3;
    static final Duration REBUILD_WINDOW = Duration.ofMinutes(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    // Leave the group on a clean stop: otherwise the partitions wait out the session timeout before a restarted or
    // surviving instance gets them (with static membership a member does not leave unless asked to).
    private static final CloseOptions LEAVE = CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
    // A client replaced after a rebuild keeps the membership: the next client takes its place under the same id.
    private static final CloseOptions STAY = CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
    private static final Set<KafkaStreams.State> DEAD_STATES = Set.of(KafkaStreams.State.ERROR,
            KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING);
    private static final Logger log = LoggerFactory.getLogger(EnricherApplication.class);

    /** One Kafka Streams client and what is bound to it. */
    private record Client(KafkaStreams streams, EnricherReadiness readiness, StoreTableQueries tables,
                          KafkaStreamsMetrics metrics, CountDownLatch stopped, AtomicReference<Throwable> failure) {
    }

    private final EnricherConfig loaded;
    private final HttpOptions http;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CaptureLag captureLag;
    private final AtomicReference<Client> current = new AtomicReference<>();
    /**
     * How often new Kafka Streams metrics are looked for. Task metrics (the wait buffer's gauges, filtered-total)
     * only exist once tasks are assigned, after the binder's first look; Micrometer's default of a minute left them
     * missing from /metrics for up to a minute after every start and rebalance.
     */
    static final Duration STREAMS_METRICS_REFRESH = Duration.ofSeconds(5);
    // Shared by every client's binder (one at a time): a client replaced after a rebuild needs no new thread.
    private final ScheduledExecutorService metricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "enricher-metrics-refresh");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "enricher-state-record");
        t.setDaemon(true);
        return t;
    });
    // One per process, not per client: a client rebuilt after a replacement keeps counting towards the bound.
    private final StreamThreadRecovery threadRecovery = new StreamThreadRecovery(System::currentTimeMillis);
    private volatile boolean stopping;

    EnricherApplication(EnricherConfig loaded, HttpOptions http) {
        this.loaded = loaded;
        this.http = http;
        this.captureLag = new CaptureLag(loaded.joins());
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(), captureLag,
                        new OperatorGauges(this::ready, this::health,
                                loaded.hasWaitingJoins() ? loaded.waitBuffer() : null))
                .forEach(binder -> binder.bindTo(registry));
    }

    /** Runs until the application stops; returns the exit code. */
    int run() {
        Properties props = loaded.streamsProperties();
        OperationsServer server = null;
        if (http.enabled()) {
            StatusCollector status = new StatusCollector(loaded, registry, captureLag, this::health);
            server = new OperationsServer(new InetSocketAddress(http.host(), http.port()), this::health,
                    () -> current.get() == null ? "starting" : current.get().readiness().describe(),
                    this::ready,
                    registry::scrape,
                    (join, key) -> current.get() == null ? new TableAnswer.Unavailable("starting")
                            : current.get().tables().lookup(join, key),
                    () -> {
                        Client client = current.get();
                        return client == null ? status.collect(null, null)
                                : status.collect(client.streams(), client.readiness());
                    });
            // Interactive queries for partitioned tables are answered by the instance that holds the key.
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, http.host() + ":" + server.port());
        }
        log.info("Starting enricher '{}' with {} join(s) ({} ms after the JVM started); instance {}; state directory "
                        + "{}; settings: {}", loaded.applicationId(), loaded.joins().size(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(),
                props.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "(dynamic membership)"),
                new LocalStateGuard(loaded).appDir(), SecretMasker.masked(props));
        // The global thread can die of an exception nobody catches (its own clean-up failing), which leaves the
        // client waiting forever: treat that like a failure of the client.
        Thread.setDefaultUncaughtExceptionHandler(this::uncaught);
        Thread hook = new Thread(this::stop, "enricher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (server != null) {
            server.start();
            log.info("Operations endpoints on http://{}:{} (/ status page, /status.json /health /ready /metrics "
                            + "/tables/{{join}}/{{key}})",
                    http.host(), server.port());
        }
        Optional<HeartbeatReader> heartbeats = HeartbeatReader.start(loaded.joins(), props,
                loaded.applicationId() + "-heartbeats", captureLag);
        try {
            return superviseClients(props);
        } finally {
            heartbeats.ifPresent(HeartbeatReader::close);
            background.shutdownNow();
            metricsRefresh.shutdownNow();
            if (server != null) {
                server.close();
            }
        }
    }

    /** What {@code /ready} and the {@code enricher_ready} gauge say: RUNNING and every table loaded. */
    private boolean ready() {
        Client client = current.get();
        return client != null && client.readiness().isReady();
    }

    /** DOWN when the client died; else DEGRADED naming each join whose capture lag is beyond its bound. */
    private Health health() {
        Client client = current.get();
        if (client != null && DEAD_STATES.contains(client.streams().state())) {
            return Health.DOWN;
        }
        return Health.of(captureLag.exceeded().stream()
                .map(e -> new Health.Degradation(e.join(), e.lag().toMillis() / 1000.0,
                        e.bound().toMillis() / 1000.0, e.reason()))
                .toList());
    }

    private int superviseClients(Properties props) {
        Deque<Long> rebuilds = new ArrayDeque<>();
        while (true) {
            Client client = startClient(props);
            awaitQuietly(client.stopped());
            Throwable failure = client.failure().get();
            InvalidOffsetException invalid = invalidOffset(failure);
            boolean globalThreadDied = failure instanceof GlobalThreadDied;
            boolean rebuild = invalid != null || globalThreadDied;
            current.set(null);
            client.metrics().close();
            client.streams().close(rebuild && !stopping ? STAY : LEAVE);
            if (stopping) {
                return ExitCode.OK;
            }
            if (!rebuild) {
                return failure == null ? ExitCode.OK : ExitCode.FAILED;
            }
            long now = System.currentTimeMillis();
            rebuilds.addLast(now);
            while (rebuilds.peekFirst() < now - REBUILD_WINDOW.toMillis()) {
                rebuilds.removeFirst();
            }
            if (rebuilds.size() > MAX_REBUILDS) {
                log.error("Local state still does not match its topics after {} rebuilds within {} min; stopping: {}",
                        MAX_REBUILDS, REBUILD_WINDOW.toMinutes(), failure.toString());
                return ExitCode.FAILED;
            }
            if (invalid != null) {
                log.warn("Rebuilding {} from {}: the local copy's offset is out of range of the topic (truncated, or "
                        + "deleted and recreated); Kafka Streams removed the local copy, starting a new client",
                        storesOf(invalid.partitions()), invalid.partitions());
            } else {
                // Kafka Streams 4.3.1 can fail to remove a global store it could not load (its clean-up throws), so
                // the next client would fail the same way: remove it here.
                new LocalStateGuard(loaded).removeGlobalState();
                log.warn("Rebuilding {}: Kafka Streams' global thread died while loading or updating them ({}); "
                        + "the local copy was removed, starting a new client", globalStores(), failure.getCause());
            }
        }
    }

    /** Runs the start-up checks and starts a client; a client that fails to start comes back already stopped. */
    private Client startClient(Properties props) {
        long begin = System.nanoTime();
        EnricherConfig config;
        LocalStateGuard guard;
        StartupGate gate;
        long topicsDone;
        long stateDone;
        // One Admin client for all checks: on a busy host each new client costs a connection and a metadata round.
        try (Admin admin = Admin.create(BrokerChecks.adminProperties(props, "enricher-startup-check"))) {
            config = BrokerChecks.requireTopics(admin, loaded);
            topicsDone = System.nanoTime();
            guard = new LocalStateGuard(config);
            guard.verify(clusterView(admin, guard));
            stateDone = System.nanoTime();
            gate = StartupGateCapture.capture(admin, props, config);
        }
        log.info("Start-up checks took {} ms (topics {} ms, local state {} ms, start-up gate {} ms)",
                millisSince(begin), (topicsDone - begin) / 1_000_000, (stateDone - topicsDone) / 1_000_000,
                millisSince(stateDone));
        if (!gate.closed().isEmpty()) {
            log.info("Start-up gate: events wait for partitioned table partitions {} to be read to their end",
                    gate.closed());
        }
        Topology topology = EnrichmentTopology.build(config, TopologyOptions.defaults().withGate(gate)
                .withMetrics(new MicrometerEnrichmentMetrics(registry, config.joins(), captureLag)));
        log.debug("Topology:\n{}", topology.describe());

        KafkaStreams streams = new KafkaStreams(topology, props);
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, List.of(), metricsRefresh,
                STREAMS_METRICS_REFRESH);
        metrics.bindTo(registry);
        StoreTableQueries tables = new StoreTableQueries(streams, config, HostInfo.buildFromEndpoint(
                props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, "unknown:0")));
        EnricherReadiness readiness = new EnricherReadiness(streams, gate);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setStateListener((newState, oldState) -> {
            log.info("Kafka Streams state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                log.info("Readiness: {}", readiness.describe());
                // Internal topics created at the first rebalance join the record of where the state comes from.
                background.execute(() -> recordQuietly(props, guard));
            }
            if (newState == KafkaStreams.State.ERROR) {
                failure.compareAndSet(null, new IllegalStateException("Kafka Streams entered ERROR"));
            }
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            boolean repairable = invalidOffset(e) != null;
            boolean globalThread = isGlobalThread(Thread.currentThread());
            if (!repairable && !globalThread && threadRecovery.respondTo(e)
                    == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
                log.warn("Stream thread failed on the brokers' side ({} replacement(s) within {} min, at most {}); "
                                + "replacing it with a new thread", threadRecovery.recentReplacements(),
                        StreamThreadRecovery.WINDOW.toMinutes(), StreamThreadRecovery.MAX_REPLACEMENTS, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            failure.set(e);
            if (!repairable) {
                log.error("Stream thread failed; shutting down this instance", e);
            }
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Client client = new Client(streams, readiness, tables, metrics, stopped, failure);
        current.set(client);
        if (stopping) {
            stopped.countDown();
            return client;
        }
        try {
            streams.start();
        } catch (IllegalStateException e) {
            // Either SIGTERM closed the client between the check above and its start (nothing to run), or the
            // global thread failed to initialize ("Initialization for the global stream thread failed").
            if (!stopping) {
                failure.compareAndSet(null, new GlobalThreadDied(e));
            }
            stopped.countDown();
        } catch (StreamsException e) {
            // The global thread failed while loading its stores (e.g. an offset beyond the topic's end).
            failure.set(e);
            if (invalidOffset(e) == null) {
                log.error("Kafka Streams failed to start", e);
            }
            stopped.countDown();
        }
        return client;
    }

    private void uncaught(Thread thread, Throwable e) {
        log.error("Thread {} died", thread.getName(), e);
        Client client = current.get();
        if (client != null && isGlobalThread(thread)) {
            client.failure().compareAndSet(null, new GlobalThreadDied(e));
            client.stopped().countDown();
        }
    }

    /** Kafka Streams names its global thread {@code <client id>-GlobalStreamThread}. */
    private static boolean isGlobalThread(Thread thread) {
        return thread.getName().endsWith("-GlobalStreamThread");
    }

    /** The global stream thread ended with an exception Kafka Streams did not handle. */
    static final class GlobalThreadDied extends RuntimeException {
        GlobalThreadDied(Throwable cause) {
            super("the global stream thread died", cause);
        }
    }

    /** SIGTERM: close the current client, leaving the group. */
    private void stop() {
        stopping = true;
        Client client = current.get();
        log.info("Shutdown requested; closing (timeout {})", CLOSE_TIMEOUT);
        if (client != null) {
            client.streams().close(LEAVE);
        }
    }

    private LocalStateGuard.ClusterView clusterView(Admin admin, LocalStateGuard guard) {
        try {
            String clusterId = admin.describeCluster().clusterId().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> topics = guard.topicsOfInterest(admin.listTopics().names()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            Map<String, Uuid> ids = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((name, description) -> {
                        ids.put(name, description.topicId());
                        description.partitions().forEach(p -> {
                            earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
                            latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                        });
                    });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, LocalStateGuard.OffsetRange> ranges = new HashMap<>();
            starts.forEach((partition, start) -> ranges.put(partition,
                    new LocalStateGuard.OffsetRange(start.offset(), ends.get(partition).offset())));
            return new LocalStateGuard.ClusterView(clusterId, ids, ranges);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerCheckException("cannot read the cluster id and topic ids on "
                    + loaded.bootstrapServers() + " to check the local state: " + (e.getCause() != null ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerCheckException("interrupted while checking the local state");
        }
    }

    private void recordQuietly(Properties props, LocalStateGuard guard) {
        try (Admin admin = Admin.create(BrokerChecks.adminProperties(props, "enricher-state-record"))) {
            guard.record(clusterView(admin, guard));
        } catch (RuntimeException e) {
            log.warn("Could not record the origin of the local state (checked again at the next start): {}",
                    e.getMessage());
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The invalid-offset error in {@code failure}'s causes, or null: the failures a new client repairs. */
    static InvalidOffsetException invalidOffset(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidOffsetException invalid) {
                return invalid;
            }
        }
        return null;
    }

    /** The stores fed by {@code partitions}' topics, named for the log line. */
    private String storesOf(Set<TopicPartition> partitions) {
        Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        String stores = loaded.joins().stream().filter(join -> topics.contains(join.topic()))
                .map(join -> "store " + ReferenceTable.storeName(join) + " (join " + join.name() + ", "
                        + (join.isPartitioned() ? "partitioned" : "global") + ")")
                .collect(Collectors.joining(", "));
        return stores.isEmpty() ? "the local state" : stores;
    }

    private String globalStores() {
        String stores = loaded.joins().stream().filter(join -> !join.isPartitioned())
                .map(join -> "store " + ReferenceTable.storeName(join) + " (join " + join.name() + ", global)")
                .collect(Collectors.joining(", "));
        return stores.isEmpty() ? "the global stores" : stores;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
