package io.cdcenricher.perf.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.perf.KeySampler;

/**
 * An event as a JSON text with placeholders, rendered once per event. The placeholders:
 * <ul>
 *   <li>{@code {{entityId}}}: the event's entity id (also its record key), text;</li>
 *   <li>{@code {{seq}}}: the event's sequence number in the run (0, 1, 2, ...);</li>
 *   <li>{@code {{now}}}: its intended send time in epoch milliseconds; {@code {{now:iso}}} the same as ISO-8601;</li>
 *   <li>{@code {{runId}}}: the run id, to tag the body as well as the headers;</li>
 *   <li>{@code {{fk:A..B}}}, {@code {{fk:A..B:uniform}}}, {@code {{fk:A..B:zipf(S)}}}: a key drawn from the whole
 *       numbers A to B, uniformly (the default) or zipf-distributed with exponent S (A the most frequent);</li>
 *   <li>{@code {{fk:file:PATH}}}, {@code {{fk:file:PATH:zipf(S)}}}: a line of the file (one real key per line, blank
 *       lines and lines starting with # skipped), the first line the most frequent under zipf;</li>
 *   <li>{@code {{oneOf:a,b,c}}}: one of the listed texts, uniformly (e.g. the event type).</li>
 * </ul>
 * A value is inserted as it is, JSON-escaped: put a placeholder between quotes for a JSON string, bare for a number.
 * The template is checked when it is read: an unknown or malformed placeholder is an error naming it, and a sample
 * rendering must be a JSON object. Each placeholder has its own random stream, seeded from the run's seed and its
 * position, so a run is reproducible.
 */
public final class EventTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern RANGE = Pattern.compile("fk:(-?\\d+)\\.\\.(-?\\d+)(?::(.*))?");
    private static final Pattern FILE = Pattern.compile("fk:file:(.+?)(?::(uniform|zipf\\(.*\\)))?");
    private static final Pattern ZIPF = Pattern.compile("zipf\\(([^)]*)\\)");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KNOWN = "entityId, seq, now, now:iso, runId, fk:A..B[:uniform|:zipf(S)], "
            + "fk:file:PATH[:uniform|:zipf(S)], oneOf:a,b,...";

    /** What one event needs from outside the template. */
    public record Context(String runId, long seq, String entityId, long intendedMillis) {
    }

    private interface Part {
        void append(StringBuilder out, Context context);
    }

    private final String source;
    private final List<Part> parts;

    private EventTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** Reads and checks the template file; relative {@code fk:file:} paths are resolved against its folder. */
    public static EventTemplate read(Path file, long seed) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toAbsolutePath().getParent(), seed,
                file.getFileName().toString());
    }

    /**
     * Parses and checks a template text.
     *
     * @param baseDir the folder relative key files are read from
     * @param name    how errors name the template
     */
    public static EventTemplate parse(String text, Path baseDir, long seed, String name) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        int index = 0;
        while (m.find()) {
            String literal = text.substring(at, m.start());
            if (literal.contains("{{")) {
                throw new IllegalArgumentException(name + ": unclosed placeholder near '" + snippet(literal) + "'");
            }
            if (!literal.isEmpty()) {
                parts.add((out, c) -> out.append(literal));
            }
            parts.add(placeholder(m.group(1).trim(), baseDir, seed * 31 + index++, name));
            at = m.end();
        }
        String tail = text.substring(at);
        if (tail.contains("{{")) {
            throw new IllegalArgumentException(name + ": unclosed placeholder near '" + snippet(tail) + "'");
        }
        if (!tail.isEmpty()) {
            parts.add((out, c) -> out.append(tail));
        }
        EventTemplate template = new EventTemplate(text, List.copyOf(parts));
        String sample = template.render(new Context("check", 0, "check-0", 0));
        try {
            JsonNode node = JSON.readTree(sample);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(name + ": an event must be a JSON object; a rendering is: " + snippet(sample));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": a rendering is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + "): " + snippet(sample));
        }
        return template;
    }

    /** The event's JSON text. */
    public String render(Context context) {
        StringBuilder out = new StringBuilder(source.length() + 64);
        for (Part part : parts) {
            part.append(out, context);
        }
        return out.toString();
    }

    public byte[] renderBytes(Context context) {
        return render(context).getBytes(StandardCharsets.UTF_8);
    }

    private static Part placeholder(String spec, Path baseDir, long seed, String name) {
        switch (spec) {
            case "entityId":
                return (out, c) -> escape(out, c.entityId());
            case "seq":
                return (out, c) -> out.append(c.seq());
            case "now":
                return (out, c) -> out.append(c.intendedMillis());
            case "now:iso":
                return (out, c) -> out.append(Instant.ofEpochMilli(c.intendedMillis()));
            case "runId":
                return (out, c) -> escape(out, c.runId());
            default:
                break;
        }
        String bad = name + ": placeholder {{" + spec + "}}: ";
        if (spec.startsWith("oneOf:")) {
            String[] options = spec.substring("oneOf:".length()).split(",", -1);
            if (options.length == 0 || List.of(options).contains("")) {
                throw new IllegalArgumentException(bad + "oneOf needs a comma-separated list without empty entries");
            }
            SplittableRandom random = new SplittableRandom(seed);
            return (out, c) -> escape(out, options[random.nextInt(options.length)]);
        }
        Matcher file = FILE.matcher(spec);
        if (file.matches()) {
            Path path = baseDir == null ? Path.of(file.group(1)) : baseDir.resolve(file.group(1));
            List<String> keys;
            try {
                keys = Files.readAllLines(path, StandardCharsets.UTF_8).stream().map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            } catch (IOException e) {
                throw new IllegalArgumentException(bad + "cannot read the key file " + path + ": " + e.getMessage());
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException(bad + "the key file " + path + " holds no key");
            }
            KeySampler sampler = sampler(file.group(2), keys.size(), seed, bad);
            return (out, c) -> escape(out, keys.get(sampler.next() - 1));
        }
        Matcher range = RANGE.matcher(spec);
        if (range.matches()) {
            long from;
            long to;
            try {
                from = Long.parseLong(range.group(1));
                to = Long.parseLong(range.group(2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(bad + "the range's ends must be whole numbers");
            }
            if (to < from) {
                throw new IllegalArgumentException(bad + "the range ends (" + to + ") before it starts (" + from + ")");
            }
            if (to - from >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException(bad + "the range holds more than " + (Integer.MAX_VALUE - 1) + " keys");
            }
            KeySampler sampler = sampler(range.group(3), (int) (to - from + 1), seed, bad);
            return (out, c) -> out.append(from - 1 + sampler.next());
        }
        if (spec.startsWith("fk:")) {
            throw new IllegalArgumentException(bad + "expected fk:A..B[:uniform|:zipf(S)] or fk:file:PATH[:uniform|:zipf(S)]");
        }
        throw new IllegalArgumentException(bad + "unknown placeholder (known: " + KNOWN + ")");
    }

    private static KeySampler sampler(String distribution, int n, long seed, String bad) {
        if (distribution == null || distribution.equals("uniform")) {
            return KeySampler.uniform(n, seed);
        }
        Matcher zipf = ZIPF.matcher(distribution);
        if (!zipf.matches()) {
            throw new IllegalArgumentException(bad + "unknown distribution '" + distribution + "' (uniform or zipf(S))");
        }
        double exponent;
        try {
            exponent = Double.parseDouble(zipf.group(1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad + "zipf needs a number, not '" + zipf.group(1) + "'");
        }
        if (!(exponent > 0)) {
            throw new IllegalArgumentException(bad + "zipf's exponent must be positive");
        }
        return KeySampler.zipf(n, exponent, seed);
    }

    /** Appends {@code text} JSON-escaped (without quotes: the template has them where a string is meant). */
    static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
    }

    private static String snippet(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
