package io.cdcenricher.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@code java} command line the way Kafka's bin/*.sh scripts do: the whole libs folder on the class path. */
final class JavaCommand {

    private JavaCommand() {
    }

    static List<String> of(Path libs, Path log4jConfig, String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseG1GC");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + log4jConfig);
        command.add("-cp");
        command.add(libs.resolve("*").toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
