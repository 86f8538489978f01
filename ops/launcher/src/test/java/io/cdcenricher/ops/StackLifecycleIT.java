package io.cdcenricher.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code ops/stack} promises its user: {@code up} twice is harmless, {@code status} tells the truth after a
 * part was killed behind its back, and {@code down} leaves no process of the stack. Runs its own stack, so that
 * killing parts does not disturb the other integration tests.
 */
@Tag("integration")
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class StackLifecycleIT {

    @TempDir
    Path runDir;

    private Stack stack;

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.down(line -> { });
        }
    }

    @Test
    void upTwiceKeepsTheSameProcessesAndDownLeavesNone() {
        stack = new Stack(StackSettings.onFreePorts(runDir), StackLayout.locate());
        stack.up(System.out::println);
        Map<String, Long> firstPids = pids();

        stack.up(System.out::println);

        assertThat(pids()).isEqualTo(firstPids);
        assertThat(stack.status()).allMatch(line -> line.contains("running (pid"));

        List<ProcessHandle> processes = firstPids.values().stream()
                .map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
        stack.down(System.out::println);

        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(stack.status()).allMatch(line -> line.endsWith("stopped"));
    }

    @Test
    void statusReportsAPartKilledBehindItsBackAndUpRestartsIt() {
        stack = new Stack(StackSettings.onFreePorts(runDir), StackLayout.locate());
        stack.up(System.out::println);
        ProcessHandle connect = stack.parts().get(2).process().handle().orElseThrow();

        connect.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !connect.isAlive());

        assertThat(stack.status().get(2)).startsWith("connect").contains("DEAD");
        assertThat(stack.status().get(0)).contains("running (pid");

        stack.up(System.out::println);
        assertThat(stack.status()).allMatch(line -> line.contains("running (pid"));
        assertThat(pids().get("connect")).isNotEqualTo(connect.pid());
    }

    private Map<String, Long> pids() {
        return stack.parts().stream().collect(Collectors.toMap(StackPart::name,
                part -> part.process().handle().orElseThrow().pid()));
    }
}
