package io.cdcenricher.ops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.StackSettings;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests the real stack (MariaDB, KRaft broker, Connect with Debezium) as OS processes, started
 * once per test run on free ports through the same {@link Stack} that {@code ops/stack} uses, and stopped when the
 * run ends. There is no fallback: when a part cannot start, the test fails with the part's log tail.
 * Tests that need the schema registry use {@link LocalStackWithRegistryExtension}: the same stack, with the registry.
 */
public final class LocalStackExtension implements ParameterResolver {

    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    /** The run's stack, started on first use; shared by every test class of the run, whichever extension it uses. */
    static Stack stack(ExtensionContext context) {
        return stack(context, false);
    }

    /** As {@link #stack(ExtensionContext)}; a stack started here for the first time starts with the registry if asked. */
    static Stack stack(ExtensionContext context, boolean withRegistry) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningStack.class, key -> RunningStack.start(withRegistry), RunningStack.class)
                .stack();
    }

    /** Stops the stack when JUnit closes the root store at the end of the run. */
    record RunningStack(Stack stack) implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static RunningStack start(boolean withRegistry) {
            StackLayout layout = StackLayout.locate();
            Path runDir;
            try {
                Path base = layout.repoRoot().resolve("target");
                Files.createDirectories(base);
                runDir = Files.createTempDirectory(base, "it-stack-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Stack stack = new Stack(StackSettings.onFreePorts(runDir), layout);
            RunningStack running = new RunningStack(stack);
            try {
                if (withRegistry) {
                    stack.upWithRegistry(line -> System.out.println("[it-stack] " + line));
                } else {
                    stack.up(line -> System.out.println("[it-stack] " + line));
                }
            } catch (RuntimeException | Error e) {
                // An Error too (a NoClassDefFoundError when a jar is rebuilt under the test): the parts that did
                // start would otherwise outlive the run.
                running.close();
                throw e;
            }
            return running;
        }

        @Override
        public void close() {
            stack.down(line -> System.out.println("[it-stack] " + line));
        }
    }
}
