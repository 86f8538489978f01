package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One OS process of the stack, tracked by a pid file so that a later command (another JVM) can find, check and
 * stop it. Output goes to a log file; stdin is closed. The process runs in its own session, so a Ctrl-C in the
 * terminal that ran {@code ops/stack up} does not take the stack down with it.
 */
public final class ManagedProcess {

    private final String name;
    private final Path pidFile;
    private final Path logFile;

    public ManagedProcess(String name, Path dir) {
        this.name = name;
        this.pidFile = dir.resolve(name + ".pid");
        this.logFile = dir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** The live process this pid file points to, if any; a stale pid file is reported as nothing running. */
    public Optional<ProcessHandle> handle() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isRunning() {
        return handle().isPresent();
    }

    /** True when a pid file exists but its process is gone: the part died or was killed. */
    public boolean isStale() {
        return Files.exists(pidFile) && handle().isEmpty();
    }

    public ProcessHandle start(List<String> command, Map<String, String> extraEnv, Path workDir) {
        try {
            Files.createDirectories(pidFile.getParent());
            List<String> full = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                full.add("/usr/bin/setsid");
            }
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return process.toHandle();
        } catch (IOException e) {
            throw new StackException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * SIGTERM, wait up to {@code grace}, then SIGKILL: Connect 4.3.1 can ignore SIGTERM for over a minute.
     * Returns true if a process was stopped.
     */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> handle = handle();
        handle.ifPresent(process -> {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!waitForExit(process, grace)) {
                process.destroyForcibly();
                waitForExit(process, Duration.ofSeconds(10));
            }
            children.forEach(ProcessHandle::destroyForcibly);
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handle.isPresent();
    }

    /**
     * SIGKILL, no grace: a crash as the fault harness injects it. The pid file stays behind, as after a real crash,
     * so that status reports the part as DEAD and the next start replaces it. Returns the pid that was killed.
     */
    public Optional<Long> kill() {
        Optional<ProcessHandle> handle = handle();
        handle.ifPresent(process -> {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            if (!waitForExit(process, Duration.ofSeconds(30))) {
                throw new StackException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        });
        return handle.map(ProcessHandle::pid);
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !process.isAlive();
        }
    }

    /** The last lines of the log, to put into an error message when the part fails to come up. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Fails with a clear message when something that is not ours already listens on the port. */
    public static void requireFreePort(String part, String host, int port, String envName) {
        if (isListening(host, port)) {
            throw new StackException(part + " cannot start: " + host + ":" + port
                    + " is already taken by another process (choose another port with " + envName + "=...)");
        }
    }

    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
