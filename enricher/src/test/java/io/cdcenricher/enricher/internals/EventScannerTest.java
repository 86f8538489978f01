package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventScannerTest {

    private final EventScanner scanner = new EventScanner(List.of("enrichment", "customer"));
    private final int type = scanner.addPath("type");
    private final int nested = scanner.addPath("order.customer.id");
    private final int flat = scanner.addPath("productId");

    private EventScan scan(String json) throws InvalidInputException {
        return scanner.scan(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldFindValuesAtFlatAndNestedPathsInOnePass() throws Exception {
        EventScan scan = scan("{\"order\":{\"lines\":[{\"customer\":{\"id\":1}}],\"customer\":{\"id\":42}},"
                + "\"type\":\"create\",\"productId\":\"p-9\"}");

        assertThat(scan.text(type)).isEqualTo("create");
        assertThat(scan.token(nested)).isEqualTo(JsonToken.VALUE_NUMBER_INT);
        assertThat(scan.text(nested)).isEqualTo("42");
        assertThat(scan.text(flat)).isEqualTo("p-9");
    }

    @Test
    void shouldReportAbsentPathsAsNull() throws Exception {
        EventScan scan = scan("{\"order\":7}");

        assertThat(scan.token(type)).isNull();
        assertThat(scan.token(nested)).isNull();
    }

    @Test
    void shouldReportNonScalarValuesByTokenWithoutText() throws Exception {
        EventScan scan = scan("{\"productId\":{\"id\":1},\"type\":true}");

        assertThat(scan.token(flat)).isEqualTo(JsonToken.START_OBJECT);
        assertThat(scan.text(flat)).isNull();
        assertThat(scan.token(type)).isEqualTo(JsonToken.VALUE_TRUE);
    }

    @Test
    void shouldNormalizeIntegralDecimalForeignKey() throws Exception {
        assertThat(scan("{\"productId\":42.0}").text(flat)).isEqualTo("42");
        assertThat(scan("{\"productId\":4.2e1}").text(flat)).isEqualTo("42");
        assertThat(scan("{\"productId\":0.50}").text(flat)).isEqualTo("0.5");
    }

    @Test
    void shouldFindClosingBraceAndWhetherTheObjectHasFields() throws Exception {
        EventScan scan = scan("{\"a\":1} \n");
        EventScan empty = scan(" { } ");

        assertThat(scan.closingBrace).isEqualTo(6);
        assertThat(scan.hasFields).isTrue();
        assertThat(empty.closingBrace).isEqualTo(3);
        assertThat(empty.hasFields).isFalse();
    }

    @Test
    void shouldNoteReservedTopLevelNamesOnly() throws Exception {
        EventScan scan = scan("{\"customer\":1,\"order\":{\"enrichment\":1}}");

        assertThat(scan.reservedSeen).containsExactly(false, true);
    }

    @Test
    void shouldRejectMalformedInput() {
        for (String bad : List.of("", "[]", "{\"a\":1", "{\"a\":1}{}", "{\"a\":01}", "{a:1}", "{\"a\":NaN}",
                "{\"a\":\"x\" // c\n}")) {
            assertThatThrownBy(() -> scan(bad)).as(bad).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void shouldRejectInvalidUtf8EvenInSkippedValues() {
        byte[] latin1 = "{\"skipped\":{\"note\":\"caf\u00e9\"},\"type\":\"create\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> scanner.scan(latin1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void shouldRejectUtf16() {
        byte[] utf16 = "{\"type\":\"create\"}".getBytes(StandardCharsets.UTF_16BE);

        assertThatThrownBy(() -> scanner.scan(utf16)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("UTF-8");
    }
}
