package io.cdcenricher.enricher;

/** The jar's exit codes, which scripts and the ops launcher rely on. */
final class ExitCode {

    /** A normal shutdown, or a command that did what it was asked. */
    static final int OK = 0;
    /** The application failed: broker unreachable, missing topics, a fatal stream error, a refused reset. */
    static final int FAILED = 1;
    /** Bad arguments or an invalid configuration. */
    static final int USAGE = 2;

    private ExitCode() {
    }
}
