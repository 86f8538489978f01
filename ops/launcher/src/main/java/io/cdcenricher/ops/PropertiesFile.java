package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a .properties file in a stable order, so that a config written twice is byte-identical. */
final class PropertiesFile {

    private PropertiesFile() {
    }

    static Path write(Path file, Map<String, String> properties) {
        String text = properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.createDirectories(file.getParent());
            // Written aside and moved into place: a process starting while the file is rewritten (parts of a
            // cluster start at once and share log4j2.properties) never reads it half written.
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
