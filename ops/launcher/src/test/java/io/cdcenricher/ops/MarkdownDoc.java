package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file of the repository, split the way GitHub renders it for the docs tests: fenced code blocks,
 * prose paragraphs (with inline code spans set apart, since a link inside code is not a link), and the anchors of
 * its headings.
 *
 * <p>Deliberately small: ATX headings ({@code ## ...}), fences of three or more backticks or tildes, inline links and
 * images {@code [text](target)}, reference definitions {@code [id]: target}, and HTML anchors {@code <a id=...>} /
 * {@code <a name=...>}. That is all the repository's Markdown uses.
 */
record MarkdownDoc(Path file, String relativePath, List<String> codeLines, List<Paragraph> paragraphs,
                   Set<String> anchors) {

    /** Folders never searched: build output, the local stack's run directory, tool folders. */
    static final Set<String> SKIPPED_DIRS = Set.of("target", ".run", "node_modules", ".git", ".idea", ".vscode");

    /**
     * Also skipped: {@code perf/results/}, where harness runs write their reports (git ignores it; committed reports
     * live in {@code perf/reports/} and are checked).
     */
    static final String RUN_RESULTS = "perf/results";

    /** A paragraph of prose: its text with code spans replaced by a placeholder, and the code spans themselves. */
    record Paragraph(int line, String prose, List<String> codeSpans) {
    }

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,}).*$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1", Pattern.DOTALL);
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern INLINE_LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]*)(?:\\s+\"[^\"]*\")?\\)");

    /** Every Markdown file of the repository, outside the skipped folders, sorted by path. */
    static List<MarkdownDoc> all(Path root) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skipped = !dir.equals(root) && (SKIPPED_DIRS.contains(name)
                            || root.relativize(dir).toString().replace('\\', '/').equals(RUN_RESULTS));
                    return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.stream().sorted().map(file -> parse(root, file)).toList();
    }

    static MarkdownDoc parse(Path root, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> code = new ArrayList<>();
        List<Paragraph> paragraphs = new ArrayList<>();
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> slugCounts = new HashMap<>();
        String fence = null;
        StringBuilder paragraph = new StringBuilder();
        int paragraphLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fenceMatch = FENCE.matcher(line);
            if (fence != null) {
                if (fenceMatch.matches() && closes(fence, line.trim())) {
                    fence = null;
                } else {
                    code.add(line);
                }
                continue;
            }
            if (fenceMatch.matches()) {
                flush(paragraph, paragraphLine, paragraphs);
                fence = fenceMatch.group(1);
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                flush(paragraph, paragraphLine, paragraphs);
                String slug = slug(heading.group(1));
                int seen = slugCounts.merge(slug, 1, Integer::sum) - 1;
                anchors.add(seen == 0 ? slug : slug + "-" + seen);
                paragraphs.add(new Paragraph(i + 1, withoutCode(heading.group(1), new ArrayList<>()), List.of()));
                continue;
            }
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1));
            }
            if (line.isBlank()) {
                flush(paragraph, paragraphLine, paragraphs);
            } else {
                if (paragraph.isEmpty()) {
                    paragraphLine = i + 1;
                }
                paragraph.append(line).append('\n');
            }
        }
        flush(paragraph, paragraphLine, paragraphs);
        String relative = root.relativize(file).toString().replace('\\', '/');
        return new MarkdownDoc(file, relative, List.copyOf(code), List.copyOf(paragraphs), Set.copyOf(anchors));
    }

    /** Whether {@code line} closes a block opened by {@code fence}: the same character, at least as many. */
    private static boolean closes(String fence, String line) {
        return line.startsWith(fence) && line.chars().allMatch(c -> c == fence.charAt(0));
    }

    private static void flush(StringBuilder paragraph, int line, List<Paragraph> paragraphs) {
        if (paragraph.isEmpty()) {
            return;
        }
        List<String> spans = new ArrayList<>();
        String prose = withoutCode(paragraph.toString(), spans);
        paragraphs.add(new Paragraph(line, prose, List.copyOf(spans)));
        paragraph.setLength(0);
    }

    /** The text with each inline code span replaced by {@code code}; the spans' contents go to {@code spans}. */
    private static String withoutCode(String text, List<String> spans) {
        Matcher m = CODE_SPAN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            spans.add(m.group(2).strip().replaceAll("\\s+", " "));
            m.appendReplacement(out, "code");
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * GitHub's anchor for a heading: the rendered text (link targets, code backticks and emphasis markers gone),
     * lower-cased, every character that is not a letter, a digit, a space, '-' or '_' dropped, each space turned
     * into '-'. Repeated headings get {@code -1}, {@code -2}, ... (done by the caller).
     */
    static String slug(String heading) {
        String text = INLINE_LINK.matcher(heading).replaceAll("$1");
        text = text.replace("`", "").replace("*", "");
        text = text.replaceAll("(^|\\s)_+|_+(\\s|$)", "$1$2");   // _emphasis_, not snake_case
        text = text.toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }
}
