package io.cdcenricher.enricher.config;

import java.time.Duration;

/** The keys of {@code joins[].versioned}: the history of a versioned table and the grace of its lookup. */
public final class VersionedKeys {

    public static final ConfigSection SECTION = ConfigSection.of(JoinKeys.VERSIONED);

    public static final ConfigKey<Duration> HISTORY_RETENTION = SECTION.key("historyRetention", ValueType.DURATION)
            .required("how far back lookups as of the event time reach, e.g. 7d")
            .doc("how far back lookups as of the event time reach, e.g. `7d`")
            .define();
    /**
     * Like the DSL's stream-table join (KIP-923), the grace may not exceed the history retention: a held event is
     * looked up as of its own time, which must still be within the history when it is released.
     */
    public static final ConfigKey<Duration> GRACE = SECTION.key("grace", ValueType.DURATION_OR_ZERO)
            .defaultValue(Duration.ZERO)
            .doc("how long (in event time) each event is held so that earlier table changes arriving later are "
                    + "still seen; `0` joins at once; at most `historyRetention`")
            .define();

    private VersionedKeys() {
    }
}
