package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command a README shows for this repository's own scripts ({@code ops/...}, {@code perf/...},
 * {@code .ci/run}) is one those scripts accept.
 *
 * <p>A command is a line of a fenced code block that starts (after {@code VAR=value} assignments) with
 * {@code ops/}, {@code perf/} or {@code .ci/run}, or an inline code span of prose that starts with an
 * {@code ops/<name>} or {@code perf/<name>} word followed by arguments, or that is one of the scripts. For each:
 * <ul>
 *   <li>the script is an executable file of the repository;</li>
 *   <li>the sub-command shown (for scripts whose usage says {@code <command>}) and every {@code --option} shown
 *       appear in the script's usage text, and {@code --help} is handled;</li>
 *   <li>a file argument under {@code connectors/} exists.</li>
 * </ul>
 * And the test command the top-level README shows is the one {@code .ci/run} runs.
 *
 * <p>Why the usage text is read from the Java source instead of running {@code <script> --help}: the scripts build
 * before they run. {@code ops/launcher.sh} runs {@code mvn install} of the launcher, Kafka's libs and the Connect
 * plugins when they are missing (minutes, Maven Central, and writes to {@code ~/.m2}), {@code ops/demo} builds the
 * whole project, and {@code perf/run} / {@code perf/faults} rebuild perf and the enricher whenever a source is newer
 * than their last build, even for {@code --help}. That is neither fast nor deterministic in a unit test. Each script
 * ends by exec-ing one Java main class it names ({@code run_launcher StackCommand},
 * {@code io.cdcenricher.perf.PerfRun}), and what {@code --help} prints is a text block in that class's source or
 * in the options class whose {@code USAGE} it prints. So the test follows the script to that source and checks the
 * text there: fast, no build, no network, and it fails when a script, a class or an option is renamed.
 */
class ReadmeCommandsTest {

    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=\\S*");
    private static final Pattern FENCED_COMMAND = Pattern.compile("^(ops/|perf/|\\.ci/run\\b)");
    private static final Pattern INLINE_COMMAND = Pattern.compile("^(ops|perf)/[\\w-]+(\\s.*)?$|^\\.ci/run$");
    private static final Pattern LAUNCHER_MAIN = Pattern.compile("run_launcher\\s+(\\w+)");
    private static final Pattern PERF_MAIN = Pattern.compile("\\b(io\\.cdcenricher\\.perf(?:\\.\\w+)*)\\.(\\w+)\\s+\"\\$@\"");
    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"\\R(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern USAGE_OF = Pattern.compile("\\b([A-Z]\\w*)\\.USAGE\\b");
    private static final Pattern MVN_LINE = Pattern.compile("(?m)^\\s*(mvn\\s[^\\n#]*?)\\s*$");

    private final Path root = StackLayout.locate().repoRoot();
    private final List<MarkdownDoc> docs = MarkdownDoc.all(root);

    /** One command as a README shows it. */
    record Shown(String where, String line, List<String> words) {
    }

    @Test
    void everyScriptCommandShownInAReadmeIsAccepted() {
        List<Shown> commands = commands();
        assertThat(commands).as("commands found").hasSizeGreaterThan(15);
        assertThat(commands).extracting(command -> command.words().get(0))
                .contains("ops/demo", "ops/stack", "ops/connectors", "perf/run", "perf/faults", ".ci/run");
        List<String> problems = new ArrayList<>();
        for (Shown command : commands) {
            String problem = problem(command);
            if (problem != null) {
                problems.add(command.where() + ": `" + command.line() + "`: " + problem);
            }
        }
        assertThat(problems).as("commands the scripts do not accept").isEmpty();
    }

    @Test
    void theTestCommandOfTheReadmeIsTheOneCiRuns() {
        Matcher ci = MVN_LINE.matcher(read(root.resolve(".ci/run")));
        List<String> ciCommands = new ArrayList<>();
        while (ci.find()) {
            ciCommands.add(ci.group(1));
        }
        assertThat(ciCommands).as("mvn commands in .ci/run").containsExactly("mvn -B verify");
        MarkdownDoc readme = docs.stream().filter(doc -> doc.relativePath().equals("README.md")).findFirst().orElseThrow();
        assertThat(readme.codeLines()).as("the top-level README's code blocks")
                .anySatisfy(line -> assertThat(line.replaceAll("#.*", "").strip()).isEqualTo(ciCommands.get(0)));
        assertThat(readme.codeLines()).as("the top-level README's code blocks")
                .anySatisfy(line -> assertThat(line.replaceAll("#.*", "").strip()).isEqualTo("ops/demo"));
    }

    @Test
    void followsAScriptToItsUsageText() {
        assertThat(usageOf("ops/stack")).contains("Usage: ops/stack <command>").contains("--with-registry");
        assertThat(usageOf("ops/connectors")).contains("Usage: ops/connectors status [--window SECONDS]");
        assertThat(usageOf("ops/demo")).contains("Usage: ops/demo [--keep]");
        assertThat(usageOf("perf/run")).contains("Usage: perf/run [--quick] [options]");
        assertThat(usageOf("perf/faults")).contains("Usage: perf/faults [--quick] [--cluster] [options]");
    }

    /** The commands of every Markdown file. */
    private List<Shown> commands() {
        List<Shown> commands = new ArrayList<>();
        for (MarkdownDoc doc : docs) {
            for (String line : doc.codeLines()) {
                List<String> words = words(line);
                if (!words.isEmpty() && FENCED_COMMAND.matcher(words.get(0)).find()) {
                    commands.add(new Shown(doc.relativePath() + " (code block)", line.strip(), words));
                }
            }
            for (MarkdownDoc.Paragraph paragraph : doc.paragraphs()) {
                for (String span : paragraph.codeSpans()) {
                    List<String> words = words(span);
                    if (words.isEmpty() || !INLINE_COMMAND.matcher(String.join(" ", words)).matches()) {
                        continue;
                    }
                    Path script = root.resolve(words.get(0));
                    if (words.size() > 1 || Files.isExecutable(script) && Files.isRegularFile(script)) {
                        commands.add(new Shown(doc.relativePath() + ":" + paragraph.line(), span, words));
                    }
                }
            }
        }
        return commands;
    }

    /** The words of a shell line: comment dropped, leading VAR=value assignments dropped, [optional] brackets gone. */
    private static List<String> words(String line) {
        String code = line.replaceAll("(^|\\s)#.*$", "").strip();
        List<String> words = new ArrayList<>(Arrays.stream(code.split("\\s+"))
                .map(word -> word.replace("[", "").replace("]", ""))
                .filter(word -> !word.isEmpty() && !word.equals("...") && !word.equals("\\"))
                .toList());
        while (!words.isEmpty() && ASSIGNMENT.matcher(words.get(0)).matches()) {
            words.remove(0);
        }
        return words;
    }

    /** Why the scripts would not accept {@code command}; {@code null} when they would. */
    private String problem(Shown command) {
        String scriptName = command.words().get(0);
        Path script = root.resolve(scriptName).normalize();
        if (!script.startsWith(root) || !Files.isRegularFile(script)) {
            return "no such script " + scriptName;
        }
        if (!Files.isExecutable(script)) {
            return scriptName + " is not executable";
        }
        if (scriptName.equals(".ci/run")) {
            return command.words().size() == 1 ? null : ".ci/run takes no arguments";
        }
        String usage;
        try {
            usage = usageOf(scriptName);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        List<String> arguments = command.words().subList(1, command.words().size());
        boolean subCommands = usage.contains("<command>");
        boolean positionalSeen = false;
        for (String argument : arguments) {
            if (argument.equals("--help") || argument.equals("-h")) {
                if (!handlesHelp(scriptName)) {
                    return scriptName + " does not handle --help";
                }
            } else if (argument.startsWith("--")) {
                String option = argument.split("=", 2)[0];
                if (!Pattern.compile(Pattern.quote(option) + "(?![\\w-])").matcher(usage).find()) {
                    return "option " + option + " is not in the usage text of " + scriptName;
                }
            } else if (!argument.startsWith("-")) {
                if (!positionalSeen && subCommands && !Pattern.compile("(?<![\\w-])" + Pattern.quote(argument)
                        + "(?![\\w-])").matcher(usage).find()) {
                    return "sub-command '" + argument + "' is not in the usage text of " + scriptName;
                }
                if (argument.startsWith("connectors/") && !Files.exists(root.resolve(argument))) {
                    return "no such file " + argument;
                }
                positionalSeen = true;
            }
        }
        return null;
    }

    /** The text {@code <script> --help} prints, read from the source of the Java main class the script runs. */
    private String usageOf(String scriptName) {
        Path source = mainSource(scriptName);
        String text = read(source);
        StringBuilder usage = new StringBuilder(textBlocks(text));
        Matcher m = USAGE_OF.matcher(text);
        while (m.find()) {
            Path other = source.resolveSibling(m.group(1) + ".java");
            if (Files.isRegularFile(other)) {
                usage.append(textBlocks(read(other)));
            }
        }
        if (usage.isEmpty()) {
            throw new IllegalStateException("no usage text in " + root.relativize(source));
        }
        return usage.toString();
    }

    /** Whether the main class answers --help itself or hands its arguments to {@link CommandLine}, which does. */
    private boolean handlesHelp(String scriptName) {
        String main = read(mainSource(scriptName));
        String commandLine = read(root.resolve("ops/launcher/src/main/java/io/cdcenricher/ops/CommandLine.java"));
        return main.contains("\"--help\"") || main.contains("CommandLine.run(") && commandLine.contains("\"--help\"");
    }

    /** The source of the Java main class the script execs. */
    private Path mainSource(String scriptName) {
        String script = read(root.resolve(scriptName));
        Map<String, Path> candidates = new LinkedHashMap<>();
        Matcher launcher = LAUNCHER_MAIN.matcher(script);
        if (launcher.find()) {
            candidates.put(launcher.group(1), root.resolve("ops/launcher/src/main/java/io/cdcenricher/ops")
                    .resolve(launcher.group(1) + ".java"));
        }
        Matcher perf = PERF_MAIN.matcher(script);
        if (perf.find()) {
            candidates.put(perf.group(2), root.resolve("perf/src/main/java")
                    .resolve(perf.group(1).replace('.', '/')).resolve(perf.group(2) + ".java"));
        }
        if (candidates.size() != 1) {
            throw new IllegalStateException(scriptName + " runs no Java main class this test can find "
                    + "(expected 'run_launcher <Class>' or 'io.cdcenricher.perf....<Class> \"$@\"')");
        }
        Path source = candidates.values().iterator().next();
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException(scriptName + " runs " + candidates.keySet() + ", but "
                    + root.relativize(source) + " does not exist");
        }
        return source;
    }

    private static String textBlocks(String source) {
        StringBuilder blocks = new StringBuilder();
        Matcher m = TEXT_BLOCK.matcher(source);
        while (m.find()) {
            blocks.append(m.group(1)).append('\n');
        }
        return blocks.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
