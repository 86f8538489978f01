package io.cdcenricher.enricher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input-corpus/*.json}, described in its {@code README.md}):
 * records as raw bytes with the outcome each must have. Read by {@link BadInputCorpusTest} (the topology in a test
 * driver) and {@code BadInputCorpusIT} (the released jar on the real stack), so both hold every case to the same
 * expectation.
 */
final class BadInputCorpus {

    /** The corpus folder on the test classpath. */
    static final String RESOURCE = "/bad-input-corpus";

    /** The joins every case's {@code enriched} expectation names, in config order. */
    static final List<String> JOINS = List.of("customer", "product");

    /** What must become of a case: a dead letter with a reason, an enriched event, or a passed-through tombstone. */
    sealed interface Expected {
    }

    record DeadLetterExpected(String reason) implements Expected {
    }

    /** Statuses per join, in config order, as written in the {@code enrichment} object. */
    record EnrichedExpected(Map<String, String> statuses) implements Expected {
    }

    record TombstoneExpected() implements Expected {
    }

    /** One record of the corpus; {@code key} and {@code value} are the exact bytes produced, either may be null. */
    record Case(String file, String name, byte[] key, byte[] value, Map<String, String> headers, Expected expected) {

        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    private BadInputCorpus() {
    }

    /** Every case, file by file in name order, each file's cases in their order. */
    static List<Case> load() {
        Path dir;
        try {
            URL url = BadInputCorpus.class.getResource(RESOURCE);
            if (url == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the test classpath");
            }
            dir = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Case> cases = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode node : json.readTree(file.toFile())) {
                    cases.add(parse(file.getFileName().toString(), node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requireUniqueNamesAndKeys(cases);
        return List.copyOf(cases);
    }

    private static Case parse(String file, JsonNode node) {
        String name = requireText(file, node, "name");
        String where = file + " '" + name + "'";
        byte[] key = bytes(where, node, "key", "keyBase64");
        byte[] value = bytes(where, node, "value", "valueBase64");
        if (node.has("expand")) {
            String text = new String(value, StandardCharsets.UTF_8);
            Iterator<Map.Entry<String, JsonNode>> marks = node.get("expand").fields();
            while (marks.hasNext()) {
                Map.Entry<String, JsonNode> mark = marks.next();
                if (!text.contains(mark.getKey())) {
                    throw new IllegalArgumentException(where + ": value has no marker " + mark.getKey());
                }
                text = text.replace(mark.getKey(),
                        mark.getValue().path("text").asText().repeat(mark.getValue().path("times").asInt()));
            }
            value = text.getBytes(StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        return new Case(file, name, key, value, headers, expected(where, node.path("expect")));
    }

    private static Expected expected(String where, JsonNode expect) {
        if (expect.size() != 1) {
            throw new IllegalArgumentException(where + ": 'expect' needs exactly one of deadLetter, enriched, tombstone");
        }
        if (expect.has("deadLetter")) {
            String reason = expect.get("deadLetter").asText();
            boolean known = Stream.of(DeadLetter.Reason.values()).anyMatch(r -> r.code().equals(reason));
            if (!known) {
                throw new IllegalArgumentException(where + ": unknown dead-letter reason '" + reason + "'");
            }
            return new DeadLetterExpected(reason);
        }
        if (expect.has("enriched")) {
            Map<String, String> statuses = new LinkedHashMap<>();
            expect.get("enriched").fields().forEachRemaining(s -> statuses.put(s.getKey(), s.getValue().asText()));
            if (!List.copyOf(statuses.keySet()).equals(JOINS)) {
                throw new IllegalArgumentException(where + ": 'enriched' must name the joins " + JOINS + " in order");
            }
            return new EnrichedExpected(statuses);
        }
        if (expect.path("tombstone").asBoolean(false)) {
            return new TombstoneExpected();
        }
        throw new IllegalArgumentException(where + ": unknown expectation " + expect);
    }

    /** The bytes of {@code textField} (UTF-8; JSON null for none) or of {@code base64Field}; one must be there. */
    private static byte[] bytes(String where, JsonNode node, String textField, String base64Field) {
        if (node.has(base64Field)) {
            return Base64.getDecoder().decode(node.get(base64Field).asText());
        }
        if (!node.has(textField)) {
            throw new IllegalArgumentException(where + ": needs '" + textField + "' or '" + base64Field + "'");
        }
        JsonNode text = node.get(textField);
        return text.isNull() ? null : text.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static String requireText(String file, JsonNode node, String field) {
        if (!node.path(field).isTextual() || node.get(field).asText().isBlank()) {
            throw new IllegalArgumentException(file + ": a case without '" + field + "': " + node);
        }
        return node.get(field).asText();
    }

    /** Outputs are found by key, so keys must be unique (null keys only ever dead-letter, found by offset). */
    private static void requireUniqueNamesAndKeys(List<Case> cases) {
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Case c : cases) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("two cases named '" + c.name() + "'");
            }
            if (c.key() != null && !keys.add(hex(c.key()))) {
                throw new IllegalArgumentException(c + ": its key is used by another case");
            }
            if (c.key() == null && !(c.expected() instanceof DeadLetterExpected)) {
                throw new IllegalArgumentException(c + ": a null key can only be a dead letter");
            }
        }
    }

    /**
     * Asserts that a record read from the output or the dead-letter topic is what {@code c} must become: a dead
     * letter with the expected reason, each {@code dlq.*} header once, the original key, value and other headers;
     * an enriched event that is the original bytes with the joins spliced in before the closing brace and the
     * expected statuses; or the tombstone unchanged.
     */
    static void assertOutcome(Case c, boolean deadLettered, byte[] key, byte[] value, Headers headers,
                              String eventsTopic) {
        assertThat(key).as(c + ": key").isEqualTo(c.key());
        if (c.expected() instanceof DeadLetterExpected dead) {
            assertThat(deadLettered).as(c + ": dead-lettered").isTrue();
            assertThat(value).as(c + ": the original value").isEqualTo(c.value());
            assertThat(headerValues(headers, DeadLetter.REASON)).as(c + ": " + DeadLetter.REASON)
                    .containsExactly(dead.reason());
            for (String name : List.of(DeadLetter.DETAIL, DeadLetter.SOURCE_TOPIC, DeadLetter.SOURCE_PARTITION,
                    DeadLetter.SOURCE_OFFSET)) {
                assertThat(headerValues(headers, name)).as(c + ": " + name).hasSize(1);
            }
            assertThat(headerValues(headers, DeadLetter.SOURCE_TOPIC)).containsExactly(eventsTopic);
            c.headers().forEach((name, text) -> {
                if (!name.startsWith("dlq.")) {
                    assertThat(headerValues(headers, name)).as(c + ": header " + name).containsExactly(text);
                }
            });
        } else if (c.expected() instanceof TombstoneExpected) {
            assertThat(deadLettered).as(c + ": in the output").isFalse();
            assertThat(value).as(c + ": still a tombstone").isNull();
        } else if (c.expected() instanceof EnrichedExpected enriched) {
            assertThat(deadLettered).as(c + ": in the output").isFalse();
            assertThat(headers.lastHeader(DeadLetter.REASON)).as(c + ": no dlq.reason").isNull();
            int brace = lastIndexOf(c.value(), (byte) '}');
            assertThat(Arrays.copyOfRange(value, 0, brace)).as(c + ": the original bytes up to its closing brace")
                    .isEqualTo(Arrays.copyOfRange(c.value(), 0, brace));
            assertThat(Arrays.copyOfRange(value, value.length - (c.value().length - brace), value.length))
                    .as(c + ": the original bytes from its closing brace").isEqualTo(
                            Arrays.copyOfRange(c.value(), brace, c.value().length));
            JsonNode event = readTree(value);
            Map<String, String> statuses = new LinkedHashMap<>();
            event.path(ENRICHMENT).fields().forEachRemaining(s -> statuses.put(s.getKey(), s.getValue().asText()));
            assertThat(statuses).as(c + ": statuses").containsExactlyEntriesOf(enriched.statuses());
            enriched.statuses().forEach((join, status) -> {
                JsonNode nested = event.get(join);
                switch (status) {
                    case "hit" -> assertThat(nested != null && nested.isObject()).as(c + ": " + join + " row").isTrue();
                    // The event's own field of that name, if any, as it was.
                    case "skipped" -> assertThat(nested).as(c + ": " + join + " untouched")
                            .isEqualTo(readTree(c.value()).get(join));
                    default -> assertThat(nested != null && nested.isNull()).as(c + ": " + join + " null").isTrue();
                }
            });
        }
    }

    /** The enricher's status object in every enriched event. */
    static final String ENRICHMENT = "enrichment";

    static JsonNode readTree(byte[] value) {
        try {
            return new ObjectMapper().readTree(value);
        } catch (IOException e) {
            throw new AssertionError("the output is not JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> headerValues(Headers headers, String name) {
        List<String> values = new ArrayList<>();
        headers.headers(name).forEach(h -> values.add(new String(h.value(), StandardCharsets.UTF_8)));
        return values;
    }

    private static int lastIndexOf(byte[] bytes, byte b) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("no '" + (char) b + "'");
    }

    /** A printable, comparable form of key bytes. */
    static String hex(byte[] bytes) {
        return bytes == null ? "null" : java.util.HexFormat.of().formatHex(bytes);
    }
}
