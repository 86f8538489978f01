package io.cdcenricher.enricher;

/**
 * The names the enricher writes into an enriched event, which consumers of the output topic depend on. An enriched
 * event is the original event plus, per join that applies to its type, the row under the join's {@code as} name, and
 * one status object, {@value #STATUS_FIELD}, that maps each join's name to its {@link JoinStatus#wireName()}:
 *
 * <pre>{"id":"o-17","customerId":42,"customer":{"name":"Ada"},"enrichment":{"customer":"hit"}}</pre>
 *
 * <p>The enricher never overwrites event data: an event that already has one of these fields is a dead letter
 * ({@link DeadLetter.Reason#OUTPUT_FIELD_CONFLICT}), and the configuration keeps a join's {@code as} off the status
 * field. Dead letters have their own contract, {@link DeadLetter}.
 */
public final class EnrichedEventContract {

    /** The status object: {@code "enrichment":{"<join name>":"<status>",...}}, one entry per configured join. */
    public static final String STATUS_FIELD = "enrichment";

    /**
     * With the version guard on ({@code event.versionField}), the header every event written to the output carries:
     * the guard's {@link VersionOutcome#wireName()} ({@code accepted}, or a rejection sent to the output by config).
     */
    public static final String VERSION_HEADER = "enricher.version";

    private EnrichedEventContract() {
    }
}
