package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an event in a single streaming pass, without building a tree: it validates the whole document
 * (strict JSON, strict UTF-8, one object), picks up the values at the configured dotted paths (the event type and
 * the foreign keys), notes reserved top-level names already in use, and finds the closing brace where the
 * enrichment is spliced in. Subtrees off the configured paths are skipped token by token.
 *
 * <p>A configured path that occurs twice ({@code {"type":"update","type":"create"}}) is rejected: JSON leaves
 * duplicate names undefined, readers differ on which one wins, and the enricher must not decide an event's type
 * or join key differently from the consumers of its output.
 *
 * <p>Immutable after construction and safe to share; each scan returns a new {@link EventScan}.
 */
final class EventScanner {

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        int valueIndex = -1;
    }

    private final Node root = new Node();
    private final List<String> paths = new ArrayList<>();
    private final Map<String, Integer> reservedIndex = new HashMap<>();
    private final int reservedCount;

    /** @param reservedNames top-level names the enrichment writes; index i is reported in reservedSeen[i] */
    EventScanner(List<String> reservedNames) {
        for (int i = 0; i < reservedNames.size(); i++) {
            reservedIndex.putIfAbsent(reservedNames.get(i), i);
        }
        this.reservedCount = reservedNames.size();
    }

    /** Registers a dotted path (once) and returns its index in {@link EventScan#tokens}. */
    int addPath(String dottedPath) {
        int existing = paths.indexOf(dottedPath);
        if (existing >= 0) {
            return existing;
        }
        Node node = root;
        for (String segment : dottedPath.split("\\.")) {
            node = node.children.computeIfAbsent(segment, s -> new Node());
        }
        node.valueIndex = paths.size();
        paths.add(dottedPath);
        return node.valueIndex;
    }

    EventScan scan(byte[] event) throws InvalidInputException {
        checkUtf8Object(event);
        EventScan scan = new EventScan(paths.size(), reservedCount);
        try (JsonParser parser = Json.UTF8_INPUT.createParser(event)) {
            parser.nextToken();
            scanObject(parser, root, true, scan);
            scan.closingBrace = (int) parser.currentTokenLocation().getByteOffset();
            if (parser.nextToken() != null) {
                throw new InvalidInputException("the value has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the value is " + Json.describe(e), e);
        } catch (IOException e) {
            throw new InvalidInputException("the value could not be read", e);
        }
        // After the parse, so Jackson's own UTF-8 errors keep their exception class; this catches what it lets by.
        int invalid = Utf8.firstInvalid(event);
        if (invalid >= 0) {
            throw new InvalidInputException("the value is not well-formed UTF-8 at byte " + invalid);
        }
        return scan;
    }

    /**
     * Jackson guesses UTF-16/32 from zero bytes at the start. The splice writes UTF-8 at byte offsets, so
     * only UTF-8 is accepted: a JSON object must start with '{' after optional whitespace, and neither of the
     * first two bytes may be zero.
     */
    private static void checkUtf8Object(byte[] event) throws InvalidInputException {
        if (event.length < 2 || event[0] == 0 || event[1] == 0) {
            throw new InvalidInputException(event.length < 2 ? "the value is not a JSON object"
                    : "the value is not UTF-8 encoded JSON");
        }
        for (byte b : event) {
            if (b == '{') {
                return;
            }
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                throw new InvalidInputException("the value is not a JSON object");
            }
        }
        throw new InvalidInputException("the value is not a JSON object");
    }

    private void scanObject(JsonParser parser, Node node, boolean top, EventScan scan)
            throws IOException, InvalidInputException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (top) {
                scan.hasFields = true;
                Integer reserved = reservedIndex.get(name);
                if (reserved != null) {
                    scan.reservedSeen[reserved] = true;
                }
            }
            Node child = node.children.get(name);
            JsonToken value = parser.nextToken();
            if (child == null) {
                parser.skipChildren();
                continue;
            }
            if (child.valueIndex >= 0) {
                if (scan.tokens[child.valueIndex] != null) {
                    throw new InvalidInputException("the field '" + paths.get(child.valueIndex)
                            + "' occurs more than once");
                }
                capture(parser, value, child.valueIndex, scan);
            }
            if (value == JsonToken.START_OBJECT && !child.children.isEmpty()) {
                scanObject(parser, child, false, scan);
            } else {
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new InvalidInputException("the value is truncated JSON");
        }
    }

    private static void capture(JsonParser parser, JsonToken value, int index, EventScan scan) throws IOException {
        scan.tokens[index] = value;
        switch (value) {
            case VALUE_STRING:
                scan.texts[index] = parser.getText();
                break;
            case VALUE_NUMBER_INT:
                scan.texts[index] = KeyText.ofNumber(parser.getText(), true);
                break;
            case VALUE_NUMBER_FLOAT:
                scan.texts[index] = KeyText.ofNumber(parser.getText(), false);
                break;
            default:
                scan.texts[index] = null;
        }
    }
}
