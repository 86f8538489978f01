package io.cdcenricher.ops;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Logging for the broker and the worker: INFO to stdout, which the launcher sends to the part's log file. */
final class Log4jConfig {

    private Log4jConfig() {
    }

    static Path write(Path runDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("appender.console.type", "Console");
        p.put("appender.console.name", "STDOUT");
        p.put("appender.console.layout.type", "PatternLayout");
        p.put("appender.console.layout.pattern", "[%d] %p %m (%c)%n");
        p.put("rootLogger.level", "INFO");
        p.put("rootLogger.appenderRef.stdout.ref", "STDOUT");
        p.put("logger.reflections.name", "org.reflections");
        p.put("logger.reflections.level", "ERROR");
        return PropertiesFile.write(runDir.resolve("log4j2.properties"), p);
    }
}
