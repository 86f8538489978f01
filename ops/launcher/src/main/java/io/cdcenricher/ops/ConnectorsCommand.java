package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;


/** {@code ops/connectors apply|status|delete}: registers the files of {@code connectors/} with Kafka Connect. */
public final class ConnectorsCommand {

    static final String USAGE = """
            Usage: ops/connectors <command> [FILE...]

              apply  [FILE...]  create or update each connector (PUT /connectors/{name}/config, idempotent) and
                                wait until the connector and all its tasks are RUNNING; prints the trace if one FAILED
              status [FILE...]  show connector and task states
              delete [FILE...]  delete the connectors (deleting a missing one is fine)

            FILE defaults to connectors/debezium-mariadb.json. Placeholders {{CDC_...}} in the files are filled from
            environment variables of the same name, or the local stack's values: CDC_DATABASE_HOST, CDC_DATABASE_PORT,
            CDC_DATABASE_NAME (shop), CDC_TOPIC_PREFIX (demo), CDC_DATABASE_SERVER_ID, CDC_KAFKA_BOOTSTRAP,
            CDC_REGISTRY_HOST_PORT (the registry of ops/stack up --with-registry, for debezium-mariadb-avro.json).
            CONNECT_URL overrides the Connect REST address. Passwords are never placeholders: the worker resolves
            ${env:CDC_DATABASE_PASSWORD} itself.
            """;

    private ConnectorsCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return CommandLine.run(USAGE, args, ConnectorsCommand::execute);
    }

    private static int execute(String[] args) {
        StackLayout layout = StackLayout.locate();
        StackSettings settings = StackSettings.fromEnvironment(layout);
        String url = System.getenv().getOrDefault("CONNECT_URL", settings.connectUrl());
        ConnectRestClient rest = new ConnectRestClient(url);
        ConnectorDeployer deployer = new ConnectorDeployer(rest,
                ConnectorDeployer.placeholderValues(settings, System.getenv()));
        List<Path> files = files(layout, args);
        switch (args[0]) {
            case "apply" -> {
                for (Path file : files) {
                    System.out.println("applying " + file + " to " + url + " ...");
                    System.out.println(deployer.apply(file, Duration.ofSeconds(120)).summary());
                }
            }
            case "status" -> {
                for (Path file : files) {
                    String name = deployer.load(file).name();
                    System.out.println(rest.status(name).map(ConnectorStatus::summary).orElse(name + ": not registered"));
                }
            }
            case "delete" -> {
                for (Path file : files) {
                    String name = deployer.load(file).name();
                    System.out.println(name + (rest.delete(name) ? ": deleted" : ": was not registered"));
                }
            }
            default -> throw new CommandLine.UnknownCommand(args[0]);
        }
        return 0;
    }

    private static List<Path> files(StackLayout layout, String[] args) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            if (!Files.isRegularFile(file)) {
                throw new StackException("no such connector file: " + file);
            }
            files.add(file);
        }
        if (files.isEmpty()) {
            files.add(layout.connectorsDir().resolve("debezium-mariadb.json"));
        }
        return files;
    }

}
