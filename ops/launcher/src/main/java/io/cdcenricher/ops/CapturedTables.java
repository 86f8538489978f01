package io.cdcenricher.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which {@code database.table} names a Debezium binlog connector captures, from its {@code database.include.list},
 * {@code database.exclude.list}, {@code table.include.list} and {@code table.exclude.list}: comma-separated regular
 * expressions matched against the whole name, without case, as Debezium matches them.
 */
public final class CapturedTables {

    private final List<Pattern> databaseInclude;
    private final List<Pattern> databaseExclude;
    private final List<Pattern> tableInclude;
    private final List<Pattern> tableExclude;

    private CapturedTables(Map<String, String> config) {
        databaseInclude = patterns(config.get("database.include.list"));
        databaseExclude = patterns(config.get("database.exclude.list"));
        tableInclude = patterns(config.get("table.include.list"));
        tableExclude = patterns(config.get("table.exclude.list"));
    }

    public static CapturedTables of(Map<String, String> connectorConfig) {
        return new CapturedTables(connectorConfig);
    }

    /** Whether changes to {@code database.table} reach the connector's topics. */
    public boolean captures(String qualifiedTable) {
        int dot = qualifiedTable.indexOf('.');
        String database = dot < 0 ? qualifiedTable : qualifiedTable.substring(0, dot);
        if (!databaseInclude.isEmpty() && databaseInclude.stream().noneMatch(p -> p.matcher(database).matches())) {
            return false;
        }
        if (databaseExclude.stream().anyMatch(p -> p.matcher(database).matches())) {
            return false;
        }
        if (!tableInclude.isEmpty() && tableInclude.stream().noneMatch(p -> p.matcher(qualifiedTable).matches())) {
            return false;
        }
        return tableExclude.stream().noneMatch(p -> p.matcher(qualifiedTable).matches());
    }

    private static List<Pattern> patterns(String list) {
        List<Pattern> patterns = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return patterns;
        }
        for (String regex : list.split(",")) {
            if (!regex.isBlank()) {
                patterns.add(Pattern.compile(regex.trim(), Pattern.CASE_INSENSITIVE));
            }
        }
        return patterns;
    }
}
