package io.cdcenricher.ops;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The {@code database.server.id} a binlog connector (Debezium's MariaDB and MySQL connectors) joins the database's
 * replication with. The database keeps one replica connection per server id: two connectors with the same id on one
 * server throw each other out ({@code A slave with the same server_uuid/server_id is already connected}), and MariaDB
 * reports that as error 1236, which Debezium does not retry, so the task that loses ends FAILED.
 *
 * <p>Unless a connector file or an override ({@value #PLACEHOLDER}) sets one, the id is derived from the connector's
 * name: stable across applies, different for different names in all but rare cases, and always inside
 * [{@value #FIRST}, {@value #LAST}]. That range stays clear of the local MariaDB's own {@code --server-id=1}, of
 * Debezium's random default (5400-6400) and of the explicit ids the tests and perf harnesses pass (54xx-56xx). A rare
 * collision of two derived ids is caught like any other clash by {@link #requireUnique} before the config is sent.
 */
public final class ServerIds {

    /** The placeholder connector files use for the server id. */
    public static final String PLACEHOLDER = "CDC_DATABASE_SERVER_ID";
    /** The connector config key Debezium's binlog connectors read. */
    public static final String CONFIG_KEY = "database.server.id";
    public static final long FIRST = 5_400_000L;
    public static final long LAST = 5_999_999L;
    /** The largest id the replication protocol accepts (an unsigned 32-bit number). */
    static final long MAX = 4_294_967_295L;

    private ServerIds() {
    }

    /** The derived id of a connector name: CRC32 of its UTF-8 bytes, folded into [{@value #FIRST}, {@value #LAST}]. */
    public static long derive(String connectorName) {
        CRC32 crc = new CRC32();
        crc.update(connectorName.getBytes(StandardCharsets.UTF_8));
        return FIRST + crc.getValue() % (LAST - FIRST + 1);
    }

    /**
     * The server id of a connector config, if it is a binlog connector (has {@value #CONFIG_KEY}); an id that is not
     * a number in 1..4294967295 is an error naming the connector and the value.
     */
    public static Optional<Long> of(String connectorName, Map<String, String> config) {
        String value = config.get(CONFIG_KEY);
        if (value == null) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id < 1 || id > MAX) {
                throw new NumberFormatException();
            }
            return Optional.of(id);
        } catch (NumberFormatException e) {
            throw new StackException(connectorName + ": " + CONFIG_KEY + "=" + value + " is not a server id (a number in"
                    + " 1.." + MAX + "); set " + PLACEHOLDER + " to one, or leave it unset to derive one from the name");
        }
    }

    /**
     * Refuses {@code candidate} when another registered connector reads the same database server (host and port)
     * with the same server id; the error names both connectors. Connectors without a server id (JDBC source and
     * the like) and the candidate's own earlier registration are ignored.
     *
     * @param registered name to config of every connector Connect knows, as {@code GET /connectors?expand=info} says
     */
    public static void requireUnique(ConnectorConfig candidate, Map<String, Map<String, String>> registered) {
        Optional<Long> id = of(candidate.name(), candidate.config());
        if (id.isEmpty()) {
            return;
        }
        String server = sameServerKey(candidate.config());
        String address = candidate.config().get("database.hostname") + ":" + candidate.config().get("database.port");
        for (Map.Entry<String, Map<String, String>> other : registered.entrySet()) {
            if (other.getKey().equals(candidate.name()) || !server.equals(sameServerKey(other.getValue()))) {
                continue;
            }
            Optional<Long> otherId;
            try {
                otherId = of(other.getKey(), other.getValue());
            } catch (StackException e) {
                continue; // a registered connector with a broken id fails on its own; it cannot clash with this one
            }
            if (otherId.isPresent() && otherId.get().equals(id.get())) {
                throw new StackException(candidate.name() + " would use " + CONFIG_KEY + "=" + id.get() + " on " + address
                        + ", which the registered connector " + other.getKey() + " already uses there. The database"
                        + " keeps one replica connection per server id, so the two would keep disconnecting each other"
                        + " ('A slave with the same server_uuid/server_id is already connected'). Give " + candidate.name()
                        + " another id: leave " + PLACEHOLDER + " unset so that it is derived from the connector name, or"
                        + " set it to a number no other connector on " + address + " uses.");
            }
        }
    }

    /**
     * {@code host:port} of the database a config reads, compared without case and with the spellings of this
     * machine's loopback address as one (a file with {@code localhost} and another with {@code 127.0.0.1} reach the
     * same server). Other names are not resolved: two names for one server are not recognized as one.
     */
    static String sameServerKey(Map<String, String> config) {
        String host = config.getOrDefault("database.hostname", "").trim().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.equals("127.0.0.1")) {
            host = "loopback";
        }
        return host + ":" + config.getOrDefault("database.port", "3306").trim();
    }
}
