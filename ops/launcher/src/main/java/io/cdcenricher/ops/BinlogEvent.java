package io.cdcenricher.ops;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One row of {@code SHOW BINLOG EVENTS}: where the event is, its type and the server's description of it. */
public record BinlogEvent(String file, long position, String type, long endPosition, String info) {

    /** {@code table_id: 33 (shop.customers)}: the table a Table_map event announces. */
    private static final Pattern TABLE_MAP = Pattern.compile("\\(([^.()]+)\\.([^()]+)\\)\\s*$");

    /** The {@code database.table} this event maps row events to, for a Table_map event. */
    public Optional<String> mappedTable() {
        if (!type.startsWith("Table_map")) {
            return Optional.empty();
        }
        Matcher matcher = TABLE_MAP.matcher(info == null ? "" : info);
        return matcher.find() ? Optional.of(matcher.group(1) + "." + matcher.group(2)) : Optional.empty();
    }

    /**
     * Whether this event ends a transaction: an Xid event (InnoDB commit) or a {@code COMMIT} query (tables without
     * XA support); row events become visible to a replica only then.
     */
    public boolean isCommit() {
        return type.startsWith("Xid") || type.startsWith("Query") && info != null
                && info.trim().toUpperCase(java.util.Locale.ROOT).startsWith("COMMIT");
    }

    public BinlogPosition at() {
        return new BinlogPosition(file, position);
    }
}
