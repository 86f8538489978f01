package io.cdcenricher.perf.faults;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.cdcenricher.perf.faults.EventLoad.EventId;
import io.cdcenricher.perf.faults.ReferenceHistory.Change;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle's judgement on hand-made records: each kind of finding is detected, and only then. */
class DeliveryLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, List<Change>> HISTORY = Map.of(
            "customers/1", List.of(
                    new Change(1, "customers", 1, 'i', "c1", "gold", 1_000),
                    new Change(5, "customers", 1, 'u', "c1 v2", "silver", 5_000),
                    new Change(7, "customers", 1, 'd', null, null, 7_000)),
            "products/1", List.of(
                    new Change(2, "products", 1, 'i', "p1", "bronze", 1_000),
                    new Change(8, "products", 1, 'd', null, null, 8_000)));

    private final DeliveryLedger ledger = new DeliveryLedger(List.of(
            new DeliveryLedger.Join("customer", "customers", "customerId", false),
            new DeliveryLedger.Join("product", "products", "productId", true)));
    private final Map<EventId, Integer> acked = new HashMap<>();
    private long offset;

    @Test
    void aCleanRunHasNoFindings() {
        sent("e-1", 1, false);
        sent("e-1", 2, false);
        sent("e-2", 1, true);
        enriched("e-1", 1, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));
        enriched("e-1", 2, 0, 6_000, hit(5, "c1 v2", "silver"), hit(2, "p1", "bronze"));
        deadLettered("e-2", 1, "unknown-event-type");

        PhaseResult phase = only(ledger.verdict(acked, HISTORY));

        assertThat(phase.clean()).as(phase.examples().toString()).isTrue();
        assertThat(List.of(phase.in(), phase.out(), phase.deadLetters())).containsExactly(3L, 2L, 1L);
        assertThat(phase.maxRowAgeMs()).as("rev 1 was replaced at 5000, written out at 2000").isZero();
    }

    @Test
    void withoutASeqHeaderTheSeqIsTheValuesTopLevelFieldNotOneNestedInARow() {
        sent("e-1", 1, false);
        ObjectNode value = JSON.createObjectNode().put("type", "create").put("id", "e-1");
        value.putObject("customer").put("seq", 99).put("rev", 1).put("name", "c1").put("tier", "gold");
        value.put("seq", 1);
        RecordHeaders phaseOnly = new RecordHeaders();
        phaseOnly.add(EventLoad.PHASE_HEADER, "0".getBytes(StandardCharsets.UTF_8));

        ledger.onOutput(record(0, 2_000, "e-1", value, phaseOnly));

        PhaseResult phase = only(ledger.verdict(acked, HISTORY));
        assertThat(List.of(phase.lost(), phase.out())).containsExactly(0L, 1L);
    }

    @Test
    void onlyATopLevelTypeMarksAnEventBad() {
        acked.put(new EventId("e-1", 1), 0);
        ObjectNode value = event("create", "e-1", 1);
        value.putObject("note").put("type", EventLoad.BAD_TYPE);
        ledger.onInput(record(0, 1_000, "e-1", 1, value));
        enriched("e-1", 1, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).clean()).isTrue();
    }

    @Test
    void anEventInNeitherTopicIsLost() {
        sent("e-1", 1, false);

        assertThat(only(ledger.verdict(acked, HISTORY)).lost()).isEqualTo(1);
    }

    @Test
    void anAcknowledgedEventMissingFromTheEventsTopicIsLostAtTheBroker() {
        acked.put(new EventId("e-9", 1), 0);

        PhaseResult phase = only(ledger.verdict(acked, HISTORY));

        assertThat(List.of(phase.lost(), phase.lostAtBroker())).containsExactly(1L, 1L);
    }

    @Test
    void anEventInBothTopicsIsDuplicated() {
        sent("e-1", 1, false);
        enriched("e-1", 1, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));
        deadLettered("e-1", 1, "oversized-record");

        PhaseResult phase = only(ledger.verdict(acked, HISTORY));

        assertThat(phase.duplicated()).isEqualTo(1);
        assertThat(phase.clean()).isFalse();
    }

    @Test
    void anEntityWrittenOutOfSequenceIsOutOfOrder() {
        sent("e-1", 1, false);
        sent("e-1", 2, false);
        enriched("e-1", 2, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));
        enriched("e-1", 1, 0, 2_100, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).outOfOrder()).isEqualTo(1);
    }

    @Test
    void anEntityInTwoOutputPartitionsIsOutOfOrder() {
        sent("e-1", 1, false);
        sent("e-1", 2, false);
        enriched("e-1", 1, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));
        enriched("e-1", 2, 1, 2_100, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).outOfOrder()).isEqualTo(1);
    }

    @Test
    void aGoodEventDeadLetteredOrABadOneEnrichedIsMisrouted() {
        sent("e-1", 1, false);
        sent("e-2", 1, true);
        deadLettered("e-1", 1, "unknown-event-type");
        enriched("e-2", 1, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).misrouted()).isEqualTo(2);
    }

    @Test
    void aRecordThatMatchesNoSentEventIsUnexpectedInPhaseMinusOne() {
        sent("e-1", 1, false);
        enriched("e-1", 1, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));
        enriched("e-7", 3, 0, 2_000, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));

        List<PhaseResult> phases = ledger.verdict(acked, HISTORY);

        assertThat(phases).extracting(PhaseResult::number).containsExactly(DeliveryLedger.NO_PHASE, 0);
        assertThat(phases.get(0).unexpected()).isEqualTo(1);
        assertThat(phases.get(0).clean()).isFalse();
    }

    @Test
    void aRowVersionThatNeverExistedIsAWrongEnrichment() {
        sent("e-1", 1, false);
        enriched("e-1", 1, 0, 2_000, hit(3, "c1", "gold"), hit(2, "p1", "bronze"));

        PhaseResult phase = only(ledger.verdict(acked, HISTORY));

        assertThat(phase.wrongEnrichment()).isEqualTo(1);
        assertThat(phase.examples()).anyMatch(e -> e.contains("rev=3") && e.contains("not in MariaDB's history"));
    }

    @Test
    void valuesThatDifferFromTheVersionAreAWrongEnrichment() {
        sent("e-1", 1, false);
        enriched("e-1", 1, 0, 2_000, hit(1, "c1", "platinum"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).wrongEnrichment()).isEqualTo(1);
    }

    @Test
    void aVersionWrittenAfterTheOutputIsAWrongEnrichment() {
        sent("e-1", 1, false);
        enriched("e-1", 1, 0, 4_000, hit(5, "c1 v2", "silver"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).wrongEnrichment()).isEqualTo(1);
    }

    @Test
    void aMissOfARowThatExistedIsAWrongEnrichment() {
        sent("e-1", 1, false);
        enriched("e-1", 1, 0, 2_000, status("miss"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).wrongEnrichment()).isEqualTo(1);
    }

    @Test
    void afterADeleteTheGlobalJoinMustSayDeletedAndThePartitionedOneMaySayMiss() {
        sent("e-1", 1, false);
        sent("e-2", 1, false);
        enriched("e-1", 1, 0, 9_000, status("deleted"), status("miss"));
        enriched("e-2", 1, 1, 9_000, status("miss"), status("deleted"));

        PhaseResult phase = only(ledger.verdict(acked, HISTORY));

        assertThat(phase.wrongEnrichment()).as(phase.examples().toString()).isEqualTo(1);
        assertThat(phase.examples()).singleElement().asString().contains("e-2").contains("join customer");
    }

    @Test
    void deletedBeforeAnyDeleteIsAWrongEnrichment() {
        sent("e-1", 1, false);
        enriched("e-1", 1, 0, 6_000, status("deleted"), hit(2, "p1", "bronze"));

        assertThat(only(ledger.verdict(acked, HISTORY)).wrongEnrichment()).isEqualTo(1);
    }

    @Test
    void anOlderVersionAfterANewerOneIsARegressionAndFailsThePhase() {
        sent("e-1", 1, false);
        sent("e-2", 1, false);
        enriched("e-1", 1, 0, 6_000, hit(5, "c1 v2", "silver"), hit(2, "p1", "bronze"));
        enriched("e-2", 1, 0, 6_500, hit(1, "c1", "gold"), hit(2, "p1", "bronze"));

        PhaseResult phase = only(ledger.verdict(acked, HISTORY));

        assertThat(phase.regressions()).isEqualTo(1);
        assertThat(phase.maxRowAgeMs()).as("rev 1 written at 6500, replaced at 5000").isEqualTo(1_500);
        assertThat(phase.wrongEnrichment()).as("each version existed when it was joined").isZero();
        assertThat(phase.examples()).singleElement().asString().contains("regression").contains("rev=1 after rev=5");
        assertThat(phase.clean()).isFalse();
    }

    private static PhaseResult only(List<PhaseResult> phases) {
        assertThat(phases).extracting(PhaseResult::number).containsExactly(0);
        return phases.get(0);
    }

    private static JsonNode hit(long rev, String name, String tier) {
        return JSON.createObjectNode().put("rev", rev).put("name", name).put("tier", tier);
    }

    /** A join that found no row: its status, where {@link #hit} gives the row. */
    private static JsonNode status(String status) {
        return JSON.getNodeFactory().textNode(status);
    }

    private static ObjectNode event(String type, String key, int seq) {
        return JSON.createObjectNode().put("type", type).put("id", key).put("customerId", 1).put("productId", 1)
                .put("seq", seq);
    }

    private void sent(String key, int seq, boolean bad) {
        acked.put(new EventId(key, seq), 0);
        ledger.onInput(record(0, 1_000, key, seq, event(bad ? EventLoad.BAD_TYPE : "create", key, seq)));
    }

    /** {@code customer} and {@code product}: a row from {@link #hit}, or a {@link #status} for a non-hit. */
    private void enriched(String key, int seq, int partition, long appendMs, JsonNode customer, JsonNode product) {
        ObjectNode value = event("create", key, seq);
        value.set("customer", customer.isObject() ? customer : JSON.nullNode());
        value.set("product", product.isObject() ? product : JSON.nullNode());
        value.putObject("enrichment").put("customer", customer.isObject() ? "hit" : customer.asText())
                .put("product", product.isObject() ? "hit" : product.asText());
        ledger.onOutput(record(partition, appendMs, key, seq, value));
    }

    private void deadLettered(String key, int seq, String reason) {
        ConsumerRecord<byte[], byte[]> record = record(0, 2_000, key, seq,
                JSON.createObjectNode().put("type", "x").put("seq", seq));
        record.headers().add("dlq.reason", reason.getBytes(StandardCharsets.UTF_8));
        ledger.onDeadLetter(record);
    }

    private ConsumerRecord<byte[], byte[]> record(int partition, long timestamp, String key, int seq, JsonNode value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventLoad.SEQ_HEADER, Integer.toString(seq).getBytes(StandardCharsets.UTF_8));
        headers.add(EventLoad.PHASE_HEADER, "0".getBytes(StandardCharsets.UTF_8));
        return record(partition, timestamp, key, value, headers);
    }

    private ConsumerRecord<byte[], byte[]> record(int partition, long timestamp, String key, JsonNode value,
                                                  RecordHeaders headers) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.toString().getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("t", partition, offset++, timestamp, TimestampType.LOG_APPEND_TIME, k.length, v.length,
                k, v, headers, Optional.empty());
    }
}
