package io.cdcenricher.enricher.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** The edges of each well-formed range of Unicode's table 3-7. */
    @ParameterizedTest
    @ValueSource(strings = {"", "41", "7f", "c2 80", "df bf", "e0 a0 80", "e0 bf bf", "e1 80 80", "ec bf bf",
        "ed 80 80", "ed 9f bf", "ee 80 80", "ef bf bf", "f0 90 80 80", "f0 bf bf bf", "f1 80 80 80", "f3 bf bf bf",
        "f4 80 80 80", "f4 8f bf bf", "41 c3 a9 42"})
    void shouldAcceptWellFormedSequences(String bytes) {
        assertThat(Utf8.firstInvalid(hex(bytes))).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({
        "80, 0",              // a continuation byte alone
        "41 c0 80, 1",        // overlong NUL
        "c1 a5, 0",           // overlong 'e'
        "e0 80 80, 0",        // overlong three-byte form
        "e0 9f bf, 0",
        "ed a0 80, 0",        // a UTF-16 high surrogate
        "ed bf bf, 0",        // a UTF-16 low surrogate
        "f0 80 80 80, 0",     // overlong four-byte form
        "f4 90 80 80, 0",     // above U+10FFFF
        "f5 80 80 80, 0",
        "ff, 0",
        "41 c3, 1",           // truncated at the end
        "e1 80, 0",
        "e1 80 41, 0",        // a continuation byte missing
        "c3 c3 a9, 0"})
    void shouldReportFirstByteOfIllFormedSequence(String bytes, int offset) {
        assertThat(Utf8.firstInvalid(hex(bytes))).isEqualTo(offset);
    }

    @Test
    void shouldAcceptPlainAsciiJson() {
        assertThat(Utf8.firstInvalid("{\"type\":\"create\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
    }

    /**
     * The ASCII fast path reads eight bytes at a time: every ill-formed sequence and every well-formed one must be
     * judged the same wherever it sits relative to those eight-byte words, and at the end of the input.
     */
    @Test
    void shouldJudgeSequencesTheSameAtEveryOffsetFromTheAsciiWords() {
        String[] wellFormed = {"c3 a9", "e2 82 ac", "f0 9f 98 80"};
        String[] illFormed = {"80", "c1 a5", "ed a0 80", "f4 90 80 80", "c3", "e2 82"};
        for (int prefix = 0; prefix <= 17; prefix++) {
            for (int suffix : new int[] {0, 1, 9}) {
                for (String sequence : wellFormed) {
                    assertThat(Utf8.firstInvalid(framed(prefix, sequence, suffix)))
                            .as("%s after %d ASCII bytes, %d after", sequence, prefix, suffix).isEqualTo(-1);
                }
                for (String sequence : illFormed) {
                    assertThat(Utf8.firstInvalid(framed(prefix, sequence, suffix)))
                            .as("%s after %d ASCII bytes, %d after", sequence, prefix, suffix).isEqualTo(prefix);
                }
            }
        }
    }

    private static byte[] framed(int asciiBefore, String sequence, int asciiAfter) {
        byte[] middle = hex(sequence);
        byte[] bytes = new byte[asciiBefore + middle.length + asciiAfter];
        java.util.Arrays.fill(bytes, (byte) 'a');
        System.arraycopy(middle, 0, bytes, asciiBefore, middle.length);
        return bytes;
    }
}
