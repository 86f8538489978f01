package io.cdcenricher.ops.testing;

import io.cdcenricher.ops.Stack;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The stack of {@link LocalStackExtension} (one per test run) with the schema registry: the first test that asks
 * for it starts Apicurio Registry and a Connect worker with the Apicurio converter ({@link Stack#upWithRegistry};
 * a worker already started without it for an earlier test is restarted); later tests get the same processes.
 * Tests that only need {@link LocalStackExtension} never pay for the registry.
 */
public final class LocalStackWithRegistryExtension implements ParameterResolver {

    /** Marks, in the run's root store, that the registry is up. */
    private record RegistryStarted() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Stack stack = LocalStackExtension.stack(context, true);
        context.getRoot().getStore(LocalStackExtension.NAMESPACE).getOrComputeIfAbsent(RegistryStarted.class, key -> {
            stack.upWithRegistry(line -> System.out.println("[it-stack] " + line));
            return new RegistryStarted();
        }, RegistryStarted.class);
        return stack;
    }
}
