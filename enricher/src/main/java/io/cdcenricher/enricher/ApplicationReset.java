package io.cdcenricher.enricher;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.enricher.config.EnricherConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Resets the application as Kafka's streams reset tool does, so that it reprocesses its input from the beginning:
 * deletes its consumer group (committed offsets; the next start reads from {@code auto.offset.reset=earliest}),
 * its internal topics ({@code <application.id>-...-changelog} and {@code -repartition}) and this machine's local
 * state. Refuses while an instance is still a member of the group.
 */
public final class ApplicationReset {

    private static final long TIMEOUT_MS = Duration.ofSeconds(30).toMillis();

    private ApplicationReset() {
    }

    /** What the reset removed, for the operator. */
    public record Result(boolean groupDeleted, List<String> deletedTopics) {
    }

    public static Result reset(EnricherConfig config) {
        Properties props = config.streamsProperties();
        String applicationId = config.applicationId();
        Properties adminProps = new Properties();
        adminProps.putAll(new StreamsConfig(props).getAdminConfigs("enricher-reset"));
        try (Admin admin = Admin.create(adminProps)) {
            boolean groupDeleted = deleteGroup(admin, applicationId);
            Set<String> topics = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<String> internal = topics.stream()
                    .filter(t -> t.startsWith(applicationId + "-"))
                    .filter(t -> t.endsWith("-changelog") || t.endsWith("-repartition"))
                    .sorted().toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            // cleanUp() removes this instance's state directory; it needs a KafkaStreams that never started.
            Topology topology = EnrichmentTopology.build(config, TopologyOptions.defaults());
            try (KafkaStreams local = new KafkaStreams(topology, props)) {
                local.cleanUp();
            }
            return new Result(groupDeleted, internal);
        } catch (ExecutionException e) {
            throw new BrokerCheckException("reset of '" + applicationId + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerCheckException("interrupted during the reset");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new BrokerCheckException("the broker at " + config.bootstrapServers() + " did not answer");
        }
    }

    private static boolean deleteGroup(Admin admin, String applicationId) throws ExecutionException,
            InterruptedException, java.util.concurrent.TimeoutException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
        if (!group.members().isEmpty()) {
            throw new BrokerCheckException("application '" + applicationId + "' still has "
                    + group.members().size() + " running instance(s): stop them all before the reset");
        }
        try {
            admin.deleteConsumerGroups(List.of(applicationId)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }
}
