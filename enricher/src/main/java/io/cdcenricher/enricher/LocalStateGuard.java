package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.internals.ReferenceTable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps local state that does not belong to the cluster from being served.
 *
 * <p>Kafka Streams trusts its state directory: a store's offsets say where to resume reading its topic, whatever
 * cluster or topic incarnation they came from. A state directory from another cluster (a wiped broker, another
 * checkout's stack), or from before a table topic or the application's internal topics were deleted and recreated,
 * either stops the client ({@code OffsetOutOfRangeException} when the offset is beyond the new topic's end) or,
 * worse, silently keeps the old rows when the new topic happens to be longer.
 *
 * <p>So beside the state the instance records where it came from ({@value #FILE_NAME}: the cluster id and the topic
 * id of every topic its stores are built from; a recreated topic has a new id). Before Kafka Streams starts, the
 * record is compared with the cluster: what does not match is removed, with one WARN line per store naming the reason,
 * and Kafka Streams rebuilds it from its topic. Truncation of the same topic (unclean leader election) keeps the
 * topic id; Kafka Streams detects that as an invalid offset, removes the store itself, and {@link EnricherApplication}
 * starts a new client.
 */
final class LocalStateGuard {

    static final String FILE_NAME = "cdc-enricher-state.properties";
    private static final String CLUSTER_KEY = "cluster.id";
    private static final String TOPIC_PREFIX = "topic.";
    private static final String GLOBAL_DIR = "global";
    private static final Pattern TASK_DIR = Pattern.compile("\\d+_\\d+");
    private static final Logger log = LoggerFactory.getLogger(LocalStateGuard.class);

    /**
     * What the cluster says now: its id, the id of each topic by name, and the offsets a consumer may fetch in each
     * of their partitions (log start to log end).
     */
    record ClusterView(String clusterId, Map<String, Uuid> topicIds, Map<TopicPartition, OffsetRange> offsets) {
    }

    /** The fetchable offsets of a partition: {@code start} (log start) to {@code end} (log end), both included. */
    record OffsetRange(long start, long end) {
        boolean contains(long offset) {
            return offset >= start && offset <= end;
        }
    }

    private final Path appDir;
    private final EnricherConfig config;

    LocalStateGuard(EnricherConfig config) {
        this.config = config;
        Properties props = config.streamsProperties();
        this.appDir = Path.of(new StreamsConfig(props).getString(StreamsConfig.STATE_DIR_CONFIG))
                .resolve(config.applicationId());
    }

    /** The application's folder in the state directory ({@code <state.dir>/<application.id>}). */
    Path appDir() {
        return appDir;
    }

    /** The topics whose ids to fetch: every table topic and the application's internal topics among {@code all}. */
    Set<String> topicsOfInterest(Set<String> all) {
        Set<String> topics = new java.util.TreeSet<>();
        config.joins().forEach(join -> topics.add(join.topic()));
        all.stream().filter(this::isInternal).forEach(topics::add);
        return topics;
    }

    /**
     * Removes the local state that does not match {@code cluster}, then records {@code cluster} as the state's
     * origin. Returns the warnings it logged (one per store or folder removed). Does nothing while another process
     * holds the state directory's lock: that process owns the state, and Kafka Streams will refuse to start here.
     */
    List<String> verify(ClusterView cluster) {
        if (!Files.isDirectory(appDir)) {
            record(cluster);
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        boolean locked = withLock(() -> {
            Properties recorded = read();
            if (recorded == null) {
                if (hasState()) {
                    warnings.addAll(removeAll("the state directory has no record of the cluster it was built from "
                            + "(written by an older version or another tool)"));
                }
            } else if (!cluster.clusterId().equals(recorded.getProperty(CLUSTER_KEY))) {
                warnings.addAll(removeAll("it was built from cluster " + recorded.getProperty(CLUSTER_KEY)
                        + " but the broker belongs to cluster " + cluster.clusterId()));
            } else {
                warnings.addAll(removeChanged(recorded, cluster));
                warnings.addAll(removeOutOfRange(cluster));
            }
            record(cluster);
        });
        if (!locked) {
            log.info("State directory {} is locked by another process; not checking it", appDir);
        }
        warnings.forEach(log::warn);
        return warnings;
    }

    /** Removes the global stores' folder (Kafka Streams rebuilds them from their topics at the next start). */
    void removeGlobalState() {
        if (Files.exists(appDir.resolve(GLOBAL_DIR))) {
            delete(appDir.resolve(GLOBAL_DIR));
        }
    }

    /** Records {@code cluster} as the origin of the state, keeping recorded ids of topics it does not mention. */
    void record(ClusterView cluster) {
        Properties recorded = Objects.requireNonNullElseGet(read(), Properties::new);
        if (!cluster.clusterId().equals(recorded.getProperty(CLUSTER_KEY))) {
            recorded.clear();
        }
        recorded.setProperty(CLUSTER_KEY, cluster.clusterId());
        cluster.topicIds().forEach((topic, id) -> {
            if (!Uuid.ZERO_UUID.equals(id)) {
                recorded.setProperty(TOPIC_PREFIX + topic, id.toString());
            }
        });
        try {
            Files.createDirectories(appDir);
            Path tmp = appDir.resolve(FILE_NAME + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                new TreeMap<>(recorded).forEach((k, v) -> {
                    try {
                        out.write(k + "=" + v + "\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            Files.move(tmp, appDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + appDir.resolve(FILE_NAME), e);
        }
    }

    private List<String> removeChanged(Properties recorded, ClusterView cluster) {
        List<String> warnings = new ArrayList<>();
        List<String> globalReasons = new ArrayList<>();
        List<String> taskReasons = new ArrayList<>();
        for (String key : recorded.stringPropertyNames()) {
            if (!key.startsWith(TOPIC_PREFIX)) {
                continue;
            }
            String topic = key.substring(TOPIC_PREFIX.length());
            Uuid now = cluster.topicIds().get(topic);
            String was = recorded.getProperty(key);
            if (now != null && now.toString().equals(was)) {
                continue;
            }
            String reason = now == null
                    ? "topic " + topic + " no longer exists (deleted, or the application was reset)"
                    : "topic " + topic + " was deleted and recreated since the local copy was built (topic id " + was
                    + ", now " + now + ")";
            for (JoinConfig join : config.joins()) {
                if (join.topic().equals(topic)) {
                    (join.isPartitioned() ? taskReasons : globalReasons).add(storeOf(join) + ": " + reason);
                }
            }
            if (isInternal(topic)) {
                taskReasons.add("the application's internal " + reason);
            }
        }
        if (!globalReasons.isEmpty() && Files.exists(appDir.resolve(GLOBAL_DIR))) {
            delete(appDir.resolve(GLOBAL_DIR));
            globalReasons.forEach(r -> warnings.add("Rebuilding global " + r + "; the local copy was removed"));
        }
        List<Path> tasks = taskDirs();
        long withStores = tasks.stream().filter(LocalStateGuard::holdsStores).count();
        if (!taskReasons.isEmpty()) {
            tasks.forEach(LocalStateGuard::delete);
            if (withStores > 0) {
                taskReasons.forEach(r -> warnings.add("Rebuilding the task stores (" + withStores + " task folder(s)): "
                        + r + "; the local copies were removed"));
            }
        }
        return warnings;
    }

    /**
     * Removes the stores whose stored offset is outside their topic partition's fetchable range: Kafka Streams would
     * fail to resume them (for a global store in 4.3.1 its global thread then dies without removing the store, and
     * the client hangs in REBALANCING). Happens after a truncation (unclean leader election) or when records were
     * deleted below the store's offset.
     */
    private List<String> removeOutOfRange(ClusterView cluster) {
        List<String> warnings = new ArrayList<>();
        Path global = appDir.resolve(GLOBAL_DIR);
        String globalProblem = firstOutOfRange(storeDirs(global), cluster);
        if (globalProblem != null) {
            delete(global);
            warnings.add("Rebuilding global " + globalProblem + "; the local copy was removed");
        }
        for (Path task : taskDirs()) {
            String problem = firstOutOfRange(storeDirs(task), cluster);
            if (problem != null) {
                delete(task);
                warnings.add("Rebuilding task " + task.getFileName() + "'s " + problem + "; the local copy was removed");
            }
        }
        return warnings;
    }

    /** The first store under {@code stores} whose offset is out of range, described; null when all are fine. */
    private String firstOutOfRange(List<Path> stores, ClusterView cluster) {
        for (Path store : stores) {
            Map<TopicPartition, Long> offsets;
            try {
                offsets = StoreOffsets.read(store);
            } catch (org.rocksdb.RocksDBException | RuntimeException e) {
                return "store " + describeStore(store) + ": its offsets cannot be read (" + e.getMessage() + ")";
            }
            for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
                OffsetRange range = cluster.offsets().get(entry.getKey());
                if (range != null && !range.contains(entry.getValue())) {
                    return "store " + describeStore(store) + ": it resumes at offset " + entry.getValue() + " of "
                            + entry.getKey() + ", outside the topic's range [" + range.start() + ", " + range.end()
                            + "] (truncated, or records deleted below it)";
                }
            }
        }
        return null;
    }

    /** The RocksDB store folders under a task or global folder. */
    private static List<Path> storeDirs(Path stateFolder) {
        Path rocksdb = stateFolder.resolve("rocksdb");
        if (!Files.isDirectory(rocksdb)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(rocksdb)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + rocksdb, e);
        }
    }

    /** {@code reference-customer (join customer)} for a join's store, else the folder name. */
    private String describeStore(Path store) {
        String name = store.getFileName().toString();
        return config.joins().stream().filter(join -> ReferenceTable.storeName(join).equals(name)).findFirst()
                .map(LocalStateGuard::storeOf).map(s -> s.substring("store ".length())).orElse(name);
    }

    private List<String> removeAll(String reason) {
        List<String> removed = new ArrayList<>();
        if (Files.exists(appDir.resolve(GLOBAL_DIR))) {
            delete(appDir.resolve(GLOBAL_DIR));
            String stores = config.joins().stream().filter(j -> !j.isPartitioned()).map(LocalStateGuard::storeOf)
                    .collect(java.util.stream.Collectors.joining(", "));
            removed.add("Rebuilding global " + (stores.isEmpty() ? "stores" : stores) + " from the table topic(s): "
                    + reason);
        }
        List<Path> tasks = taskDirs();
        long withStores = tasks.stream().filter(LocalStateGuard::holdsStores).count();
        tasks.forEach(LocalStateGuard::delete);
        if (withStores > 0) {
            removed.add("Rebuilding the task stores (" + withStores + " task folder(s)) from their topics: " + reason);
        }
        return removed;
    }

    /** Whether a task folder holds a store (Kafka Streams also makes folders for tasks without any). */
    private static boolean holdsStores(Path taskDir) {
        try (Stream<Path> entries = Files.list(taskDir)) {
            return entries.anyMatch(p -> !p.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return true;
        }
    }

    private static String storeOf(JoinConfig join) {
        return "store " + ReferenceTable.storeName(join) + " (join " + join.name() + ")";
    }

    private boolean isInternal(String topic) {
        return topic.startsWith(config.applicationId() + "-")
                && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
    }

    private boolean hasState() {
        return Files.exists(appDir.resolve(GLOBAL_DIR)) || !taskDirs().isEmpty();
    }

    private List<Path> taskDirs() {
        if (!Files.isDirectory(appDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(appDir)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> TASK_DIR.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + appDir, e);
        }
    }

    private Properties read() {
        Path file = appDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            log.warn("Cannot read {} ({}); treating the state as of unknown origin", file, e.toString());
            return null;
        }
        return props;
    }

    /**
     * Runs {@code action} holding Kafka Streams' lock file of the application folder, so that state in use by a
     * running instance is never touched. Returns false (without running it) when the lock is held elsewhere.
     */
    private boolean withLock(Runnable action) {
        Path lockFile = appDir.resolve(".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                return false;
            }
            try {
                action.run();
            } finally {
                lock.release();
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
