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
        assertThat(coreStatus()).allMatch(line -> line.contains("running (pid"));
        assertThat(registryStatus()).contains("not started");
        assertThat(stack.isUp()).isTrue();

        List<ProcessHandle> processes = firstPids.values().stream()
                .map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
        stack.down(System.out::println);

        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(coreStatus()).allMatch(line -> line.endsWith("stopped"));
        assertThat(registryStatus()).contains("not started");
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
        assertThat(coreStatus()).allMatch(line -> line.contains("running (pid"));
        assertThat(pids().get("connect")).isNotEqualTo(connect.pid());
    }

    /**
     * The registry is optional: asking for it restarts a worker that runs without the Apicurio converter (it cannot
     * load it without plugin.discovery=hybrid_warn), a plain {@code up} afterwards keeps that worker, a registry that
     * died is reported DEAD and fails the status, and {@code down} stops it with the rest.
     */
    @Test
    void registryStartsOnlyWhenAskedSwitchesConnectToTheConverterAndIsStoppedByDown() {
        stack = new Stack(StackSettings.onFreePorts(runDir), StackLayout.locate());
        stack.up(System.out::println);
        long plainConnect = stack.connect().process().handle().orElseThrow().pid();
        assertThat(stack.registry().process().isRunning()).isFalse();

        stack.upWithRegistry(System.out::println);

        ProcessHandle registry = stack.registry().process().handle().orElseThrow();
        long converterConnect = stack.connect().process().handle().orElseThrow().pid();
        assertThat(converterConnect).as("connect restarted with the converter").isNotEqualTo(plainConnect);
        assertThat(stack.connect().runningPlugins()).contains(ConnectWorker.Plugins.DEBEZIUM_AND_APICURIO_CONVERTER);
        assertThat(stack.status().get(2)).contains("running (pid " + converterConnect + ", with the Apicurio converter)");
        assertThat(registryStatus()).contains("running (pid " + registry.pid() + ")");

        stack.up(System.out::println);
        assertThat(stack.connect().process().handle().orElseThrow().pid()).as("a plain up keeps the converter worker")
                .isEqualTo(converterConnect);

        registry.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !registry.isAlive());
        assertThat(registryStatus()).contains("DEAD");
        assertThat(stack.isUp()).isFalse();

        stack.down(System.out::println);
        assertThat(stack.allParts()).noneMatch(part -> part.process().isRunning());
        assertThat(registryStatus()).contains("not started");
    }

    private List<String> coreStatus() {
        return stack.status().subList(0, 3);
    }

    private String registryStatus() {
        List<String> status = stack.status();
        assertThat(status.get(3)).startsWith("registry");
        return status.get(3);
    }

    private Map<String, Long> pids() {
        return stack.parts().stream().collect(Collectors.toMap(StackPart::name,
                part -> part.process().handle().orElseThrow().pid()));
    }
}
