package io.cdcenricher.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads memory figures ({@code VmHWM}, {@code VmRSS}) of a process from {@code /proc/<pid>/status}. */
public final class ProcStatus {

    private ProcStatus() {
    }

    public static OptionalLong kilobytes(long pid, String field) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")), field);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parse(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1).trim();
                if (value.endsWith("kB")) {
                    value = value.substring(0, value.length() - 2).trim();
                }
                try {
                    return OptionalLong.of(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
