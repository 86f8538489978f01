package io.cdcenricher.ops;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How many KRaft nodes and Connect workers a stack runs: one of each by default, a cluster with
 * {@code ops/stack up --brokers 3 --connect-workers 2}. Every node is a combined broker and controller, so the node
 * count is the controller quorum's size and must be odd (1, 3 or 5) for a majority to survive a lost node.
 *
 * <p>{@code up} records the shape in the run directory, so that {@code status}, {@code down}, {@code logs} and the
 * other commands see every node and worker without being told again.
 *
 * @param brokers        KRaft nodes (broker and controller in one process), 1, 3 or 5
 * @param connectWorkers Connect workers in one group, 1 to {@value #MAX_CONNECT_WORKERS}
 */
public record StackShape(int brokers, int connectWorkers) {

    /** The default: one node, one worker, every topic with one replica. */
    public static final StackShape SINGLE = new StackShape(1, 1);
    static final int MAX_CONNECT_WORKERS = 5;
    private static final String FILE = "shape.properties";

    public StackShape {
        if (brokers != 1 && brokers != 3 && brokers != 5) {
            throw new StackException("--brokers " + brokers + ": a cluster has 1, 3 or 5 nodes (each node is also a "
                    + "controller, and a quorum needs an odd count to keep a majority when one is lost)");
        }
        if (connectWorkers < 1 || connectWorkers > MAX_CONNECT_WORKERS) {
            throw new StackException("--connect-workers " + connectWorkers + ": from 1 to " + MAX_CONNECT_WORKERS);
        }
    }

    /** Replicas of every topic: 3 in a cluster (what production runs), 1 on a single node. */
    public int replicationFactor() {
        return Math.min(brokers, 3);
    }

    /** In-sync replicas an acks=all write needs: 2 of 3, so that one node can die without stopping writes. */
    public int minInsyncReplicas() {
        return replicationFactor() == 1 ? 1 : replicationFactor() - 1;
    }

    public boolean isCluster() {
        return brokers > 1 || connectWorkers > 1;
    }

    @Override
    public String toString() {
        return brokers + (brokers == 1 ? " node" : " nodes") + " and " + connectWorkers
                + (connectWorkers == 1 ? " worker" : " workers");
    }

    /** The shape {@code up} recorded in {@code runDir}; {@link #SINGLE} for a run directory from before shapes. */
    public static StackShape recorded(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) {
            return SINGLE;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
            return new StackShape(Integer.parseInt(p.getProperty("brokers", "1").trim()),
                    Integer.parseInt(p.getProperty("connect.workers", "1").trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException e) {
            throw new StackException(file + " is damaged (" + e.getMessage() + "): fix or delete it");
        }
    }

    /** Remembers this shape for the later commands on {@code runDir}. */
    public void record(Path runDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("brokers", Integer.toString(brokers));
        p.put("connect.workers", Integer.toString(connectWorkers));
        PropertiesFile.write(runDir.resolve(FILE), p);
    }

    /**
     * The shape an {@code up} runs: the requested one, else the recorded one. Kafka's storage is formatted for its
     * controller quorum, so a run directory whose nodes hold data cannot change its node count; the worker count
     * can change at any time (workers keep their state in Kafka).
     */
    public static StackShape choose(Optional<StackShape> requested, Path runDir) {
        StackShape recorded = recorded(runDir);
        if (requested.isEmpty()) {
            return recorded;
        }
        StackShape wanted = requested.get();
        if (wanted.brokers() != recorded.brokers() && Files.exists(runDir.resolve("kafka/data/meta.properties"))) {
            throw new StackException(runDir + " holds a Kafka cluster of " + recorded.brokers() + " node(s); it cannot "
                    + "become " + wanted.brokers() + " node(s). Use another STACK_RUN_DIR, or 'ops/stack down' and "
                    + "delete " + runDir + " (its topics and data go with it)");
        }
        return wanted;
    }
}
