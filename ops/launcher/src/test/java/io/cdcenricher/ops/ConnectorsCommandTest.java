package io.cdcenricher.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line of ops/connectors without a stack: help per command and bad options. */
class ConnectorsCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        assertThat(ConnectorsCommand.run(new String[] {"status", "--help"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ops/connectors status")
                .contains("UNCONFIRMED  exit 4").contains("STALLED      exit 3");
        out.reset();
        assertThat(ConnectorsCommand.run(new String[] {"watch", "-h"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ops/connectors watch")
                .contains("onlyFailed=true").contains("production");
        out.reset();
        assertThat(ConnectorsCommand.run(new String[] {"apply", "--help"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("5400000-5999999");
        out.reset();
        assertThat(ConnectorsCommand.run(new String[] {"delete", "--help"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ops/connectors delete");
    }

    @Test
    void badOptionsAndValuesAreNamed() {
        assertThat(ConnectorsCommand.run(new String[] {"status", "--interval", "3"})).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'--interval'").contains("--window");
        err.reset();
        assertThat(ConnectorsCommand.run(new String[] {"watch", "--interval", "soon"})).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--interval soon");
        err.reset();
        assertThat(ConnectorsCommand.run(new String[] {"apply", "--window", "3"})).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("it takes none");
        err.reset();
        assertThat(ConnectorsCommand.run(new String[] {"restart"})).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'restart'");
    }
}
