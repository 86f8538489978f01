package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every link in the repository's Markdown resolves inside the repository.
 *
 * <p>Why: the README once sent readers to a design document outside the checkout, and moving sections between
 * READMEs silently breaks the links and the {@code #anchors} that pointed at them. Checked in every {@code *.md}
 * outside build output ({@code target/}), the local stack's run directory ({@code .run/}), {@code node_modules/} and
 * the harnesses' uncommitted results ({@code perf/results/}):
 * <ul>
 *   <li>each relative link or image {@code [text](path)} / {@code [text](path#anchor)} / {@code [text](#anchor)}
 *       and each reference definition {@code [id]: path} names an existing file or folder, and stays inside the
 *       repository (no {@code ../} out of it, no absolute path);</li>
 *   <li>an anchor names a heading of the target Markdown file, by GitHub's rules (see {@link MarkdownDoc#slug});</li>
 *   <li>no Markdown file mentions the design folder that used to live beside the checkout, linked or not.</li>
 * </ul>
 * Links with a scheme ({@code https:}, {@code mailto:}) are not followed; links inside code are not links.
 */
class ReadmeLinksTest {

    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final Path root = StackLayout.locate().repoRoot();
    private final List<MarkdownDoc> docs = MarkdownDoc.all(root);

    @Test
    void theRepositoryHasTheReadmesTheTopLevelReadmePointsTo() {
        assertThat(docs).extracting(MarkdownDoc::relativePath)
                .contains("README.md", "enricher/README.md", "enricher/DESIGN.md", "ops/README.md",
                        "perf/README.md", "connectors/README.md");
    }

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() {
        Map<Path, MarkdownDoc> byFile = docs.stream()
                .collect(Collectors.toMap(doc -> doc.file().toAbsolutePath().normalize(), Function.identity()));
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (MarkdownDoc doc : docs) {
            for (MarkdownDoc.Paragraph paragraph : doc.paragraphs()) {
                for (String target : targets(paragraph.prose())) {
                    checked++;
                    String problem = problem(doc, target, byFile);
                    if (problem != null) {
                        broken.add(doc.relativePath() + ":" + paragraph.line() + ": (" + target + ") " + problem);
                    }
                }
            }
        }
        assertThat(checked).as("links found").isGreaterThan(20);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void noMarkdownFileMentionsTheDesignFolderOutsideTheCheckout() {
        String outside = ".." + "/shared";   // split so that this file does not match itself
        List<String> mentions = new ArrayList<>();
        for (MarkdownDoc doc : docs) {
            String text = read(doc.file());
            if (text.contains(outside) || text.contains("/work" + "/shared")) {
                mentions.add(doc.relativePath());
            }
        }
        assertThat(mentions).as("Markdown files naming a path outside the repository").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(MarkdownDoc.slug("Late data, start-up and replay")).isEqualTo("late-data-start-up-and-replay");
        assertThat(MarkdownDoc.slug("Schema registry (Avro)")).isEqualTo("schema-registry-avro");
        assertThat(MarkdownDoc.slug("Crashes: the fault harness")).isEqualTo("crashes-the-fault-harness");
        assertThat(MarkdownDoc.slug("`materialization: partitioned`")).isEqualTo("materialization-partitioned");
        assertThat(MarkdownDoc.slug("Pointing it at your own MySQL 8, Kafka and Connect"))
                .isEqualTo("pointing-it-at-your-own-mysql-8-kafka-and-connect");
        assertThat(MarkdownDoc.slug("max_wait and *more*")).isEqualTo("max_wait-and-more");
        assertThat(MarkdownDoc.slug("See [the README](README.md)")).isEqualTo("see-the-readme");
    }

    /** The link targets of a paragraph's prose (code spans already removed). */
    private static List<String> targets(String prose) {
        List<String> targets = new ArrayList<>();
        for (Pattern pattern : List.of(INLINE_LINK, REFERENCE)) {
            Matcher m = pattern.matcher(prose);
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** Why {@code target}, linked from {@code doc}, does not resolve; {@code null} when it does. */
    private String problem(MarkdownDoc doc, String target, Map<Path, MarkdownDoc> byFile) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        if (target.isEmpty()) {
            return "empty link";
        }
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        if (path.startsWith("/")) {
            return "absolute path: link relative to the file instead";
        }
        Path resolved = (path.isEmpty() ? doc.file() : doc.file().getParent().resolve(path))
                .toAbsolutePath().normalize();
        if (!resolved.startsWith(root.toAbsolutePath().normalize())) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file or folder";
        }
        if (anchor == null || anchor.isEmpty()) {
            return null;
        }
        MarkdownDoc targetDoc = byFile.get(resolved);
        if (targetDoc == null) {
            return "an anchor into a file that is not Markdown";
        }
        return targetDoc.anchors().contains(anchor) ? null
                : "no heading '#" + anchor + "' in " + targetDoc.relativePath() + " (it has " + new TreeSet<>(targetDoc.anchors()) + ")";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
