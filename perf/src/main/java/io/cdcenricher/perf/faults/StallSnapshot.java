package io.cdcenricher.perf.faults;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the data stood when the output did not resume, for the error message: per partition, the events topic's end
 * and the group's committed offset (is the load still arriving, is the enricher consuming), the output topic's end and
 * its last stable offset (is it writing; does an open transaction hold readers back), and the transactions still
 * open. Without it a stalled run says only "no record within 300 s".
 */
final class StallSnapshot {

    private static final long TIMEOUT_S = 10;

    private StallSnapshot() {
    }

    /** One line; a failure to look is reported in it rather than thrown (the run is already failing). */
    static String describe(Properties adminProperties, String events, String output, String groupId) {
        try (Admin admin = Admin.create(adminProperties)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<String, Integer> partitions = admin.describeTopics(List.of(events, output)).allTopicNames()
                    .get(TIMEOUT_S, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().partitions().size()));
            int outputPartitions = partitions.get(output);
            Map<Integer, Long> eventEnds = ends(admin, events, partitions.get(events), IsolationLevel.READ_UNCOMMITTED);
            Map<Integer, Long> outputEnds = ends(admin, output, outputPartitions, IsolationLevel.READ_UNCOMMITTED);
            Map<Integer, Long> outputStable = ends(admin, output, outputPartitions, IsolationLevel.READ_COMMITTED);
            String eventsLine = eventEnds.entrySet().stream().map(e -> "p" + e.getKey() + " end " + e.getValue()
                            + " committed " + offsetOf(committed.get(new TopicPartition(events, e.getKey()))))
                    .collect(Collectors.joining(", "));
            String outputLine = outputEnds.entrySet().stream().map(e -> "p" + e.getKey() + " end " + e.getValue()
                            + " stable " + outputStable.get(e.getKey()))
                    .collect(Collectors.joining(", "));
            List<String> open = admin.listTransactions(new ListTransactionsOptions()
                            .filterStates(List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                                    TransactionState.PREPARE_ABORT)))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
                    .map(t -> t.transactionalId() + " " + t.state()).sorted().toList();
            return "events (" + events + "): " + eventsLine + "; output (" + output + "): " + outputLine
                    + "; open transactions: " + (open.isEmpty() ? "none" : String.join(", ", open));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "offsets unknown (interrupted)";
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            return "offsets unknown (" + e + ")";
        }
    }

    private static Map<Integer, Long> ends(Admin admin, String topic, int partitions, IsolationLevel isolation)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(latest,
                new ListOffsetsOptions(isolation)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<Integer, Long> byPartition = new TreeMap<>();
        result.forEach((tp, info) -> byPartition.put(tp.partition(), info.offset()));
        return byPartition;
    }

    private static String offsetOf(OffsetAndMetadata committed) {
        return committed == null ? "none" : Long.toString(committed.offset());
    }
}
