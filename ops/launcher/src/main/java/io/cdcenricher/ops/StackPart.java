package io.cdcenricher.ops;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One process of the local stack: the broker, the Connect worker or the database. Each has a name (for its pid
 * file, log file and {@code ops/stack status}) and a folder of its own under the run directory.
 */
public abstract class StackPart {

    protected final StackSettings settings;
    protected final StackLayout layout;
    protected final Path dir;
    private final String name;
    private final ManagedProcess process;

    protected StackPart(String name, StackSettings settings, StackLayout layout) {
        this.name = name;
        this.settings = settings;
        this.layout = layout;
        this.dir = settings.runDir().resolve(name);
        this.process = new ManagedProcess(name, settings.runDir());
    }

    public final String name() {
        return name;
    }

    public final ManagedProcess process() {
        return process;
    }

    /** Where clients reach it. */
    public abstract String address();

    /** Starts the process (if it is not running already) and waits until it serves requests. */
    public abstract void up(Duration timeout);

    /** Whether the part answers requests right now. */
    public abstract boolean isHealthy();

    /** Stops the process; SIGKILL after {@code grace}. Returns true if something was stopped. */
    public boolean down(Duration grace) {
        return process.stop(grace);
    }

    /** One line for {@code ops/stack status}; tells the truth when the process was killed behind our back. */
    public String statusLine() {
        String state;
        if (process.isRunning()) {
            state = (isHealthy() ? "running" : "running, not answering") + " (pid " + process.handle().orElseThrow().pid()
                    + runningDetail() + ")";
        } else if (process.isStale()) {
            state = "DEAD (pid file left behind: it exited or was killed; see " + process.logFile() + ")";
        } else {
            state = notRunningState();
        }
        return String.format("%-9s %-40s %s", name(), address(), state);
    }

    /** What {@link #statusLine()} says when the part is not running and did not die. */
    protected String notRunningState() {
        return "stopped";
    }

    /** Appended to "running (pid N" in {@link #statusLine()}: how the part was started, when that matters. */
    protected String runningDetail() {
        return "";
    }
}
