package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The three apps the enricher is compared with, each a topology factory:
 * <ul>
 *   <li>{@link #passthrough}: byte serdes, each record padded to the enricher's average output size: the ceiling;</li>
 *   <li>{@link #diy}: the KStream-GlobalKTable left join users write by hand, with String serdes and Jackson trees;</li>
 *   <li>{@link #rpc}: a {@code mapValues} that calls an HTTP lookup service per event.</li>
 * </ul>
 */
final class BaselineTopologies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BaselineTopologies() {
    }

    static Topology passthrough(String events, String output, int padToBytes, Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(events, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .mapValues(value -> pad(value, padToBytes))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build(props);
    }

    static byte[] pad(byte[] value, int size) {
        if (value == null || value.length >= size) {
            return value;
        }
        byte[] padded = Arrays.copyOf(value, size);
        Arrays.fill(padded, value.length, size, (byte) ' ');
        return padded;
    }

    static Topology diy(String events, String table, String output, List<String> fields, Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> customers = builder.globalTable(table,
                Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("diy-customers"));
        DiyJoiner joiner = new DiyJoiner(fields);
        builder.stream(events, Consumed.with(Serdes.String(), Serdes.String()))
                .leftJoin(customers, (key, event) -> DiyJoiner.customerKey(event), joiner::join)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build(props);
    }

    /** The hand-written join: parse the event into a tree (once for the key, once to join), copy the row in. */
    static final class DiyJoiner {

        private final List<String> fields;

        DiyJoiner(List<String> fields) {
            this.fields = List.copyOf(fields);
        }

        static String customerKey(String event) {
            JsonNode id = tree(event).path("customerId");
            return id.isMissingNode() || id.isNull() ? null : id.asText();
        }

        String join(String event, String row) {
            ObjectNode tree = (ObjectNode) tree(event);
            ObjectNode status = JSON.createObjectNode();
            if (row == null) {
                tree.putNull("customer");
                status.put("customer", "miss");
            } else {
                JsonNode rowTree = tree(row);
                ObjectNode customer = tree.putObject("customer");
                for (String field : fields) {
                    customer.set(field, rowTree.get(field));
                }
                status.put("customer", "hit");
            }
            tree.set("enrichment", status);
            return write(tree);
        }
    }

    static Topology rpc(String events, String output, URI lookupBase, Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        RpcEnricher enricher = new RpcEnricher(lookupBase);
        builder.stream(events, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(enricher::enrich)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build(props);
    }

    /** One synchronous HTTP GET per event, as in the "call the service inside map()" pattern. */
    static final class RpcEnricher {

        private final URI base;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        RpcEnricher(URI base) {
            this.base = base;
        }

        String enrich(String event) {
            ObjectNode tree = (ObjectNode) tree(event);
            String id = tree.path("customerId").asText();
            ObjectNode status = JSON.createObjectNode();
            try {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve("/customers/" + id))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 200) {
                    tree.set("customer", JSON.readTree(response.body()));
                    status.put("customer", "hit");
                } else {
                    tree.putNull("customer");
                    status.put("customer", "miss");
                }
            } catch (IOException e) {
                tree.putNull("customer");
                status.put("customer", "error");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a lookup", e);
            }
            tree.set("enrichment", status);
            return write(tree);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(JsonNode tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
