/**
 * The enricher: a Kafka Streams application that left-joins an events topic against reference tables
 * captured by CDC and writes enriched events and dead letters.
 *
 * <p>Public entry points: {@link io.cdcenricher.enricher.EnricherCli} (the command line),
 * {@link io.cdcenricher.enricher.EnrichmentTopology} (the topology factory used by the application and the
 * tests), {@link io.cdcenricher.enricher.EnrichedEventContract}, {@link io.cdcenricher.enricher.JoinStatus} and
 * {@link io.cdcenricher.enricher.DeadLetter} (the output contract), and the configuration in
 * {@code io.cdcenricher.enricher.config}. The implementation lives in
 * {@code io.cdcenricher.enricher.internals}.
 *
 * <h2>Decisions the issues left open</h2>
 * <ul>
 *   <li>A record with a null key is a dead letter ({@code null-key}) even when its value is null: the output
 *       is keyed by entity, and a tombstone without a key deletes nothing.</li>
 *   <li>A foreign key that is JSON {@code null} is a miss (the event has no reference), not a
 *       {@code missing-foreign-key} dead letter; {@code onMiss: dead-letter} applies to it as to any miss.</li>
 *   <li>Foreign keys and table keys meet as canonical text: {@code 42}, {@code "42"}, {@code 42.0} and the
 *       table key {@code {"id":42}} are the same key. Plain-text table keys are taken as written. Only
 *       single-column keys are supported; dots in field names cannot be addressed by a path.</li>
 *   <li>A join with {@code onMiss: dead-letter} dead-letters misses and deleted rows with reason
 *       {@code join-miss}.</li>
 *   <li>An event that already has a top-level field the enrichment would write ({@code enrichment}, or the
 *       {@code as} name of a join that applies to its type) is a dead letter ({@code output-field-conflict}):
 *       we never overwrite event data.</li>
 *   <li>{@code maxRecordBytes} is compared with key + enriched value bytes (headers are not counted).</li>
 *   <li>Events must be strict UTF-8 (RFC 3629): an overlong form, an encoded surrogate or a code point above
 *       U+10FFFF is {@code malformed-json}, even in a field the enricher skips, since Jackson would decode an
 *       overlong form as the character it stands for and pass on bytes strict readers reject.</li>
 *   <li>A field the enricher reads (the type, a foreign key, the filter's and the timestamp's field) that occurs
 *       twice in its object is {@code malformed-json}: readers differ on which one wins. Other fields may repeat and
 *       are passed on as they are.</li>
 *   <li>A number key whose plain form would have more than 64 integer digits or leading zeros ({@code 1e-999999999}),
 *       or whose exponent does not fit a {@code BigDecimal}, is kept as written instead of canonicalized.</li>
 *   <li>A deleted row leaves a marker with the tombstone's timestamp in the store so events see {@code deleted};
 *       an event more than {@code deletedRetention} after the deletion sees {@code miss}, and once compaction
 *       drops the tombstone from the table topic, a rebuilt store no longer has it and events see {@code miss}.</li>
 *   <li>A filtered event is dropped before the joins and counted ({@code filtered-total}); a missing or
 *       wrongly typed field makes the predicate false, so the event is dropped.</li>
 *   <li>With partitioned joins, records without a foreign key (entity tombstones, null or absent foreign keys)
 *       are routed by entity id through the foreign-key repartition.</li>
 *   <li>A table record with an unusable key or a row that is not a JSON object is logged (position only,
 *       never contents) and skipped; the store keeps the previous row for that key.</li>
 *   <li>Exceptions our code does not anticipate go to Kafka Streams' processing exception handler, configured
 *       to log, continue and write the record to the same dead-letter topic (with Kafka Streams' own error
 *       headers), so no input is lost and one bad record does not stop the application.</li>
 *   <li>{@code onMiss: wait} holds only misses: a deleted row and a JSON {@code null} foreign key go out at once.
 *       A held event is joined again when it leaves the buffer, so its other joins see the tables as they are
 *       then; {@code late} marks a wait join that was missing on arrival and is found on release.</li>
 *   <li>A full wait buffer releases the whole queue of the entity with the oldest held event (never a single
 *       event), so no event overtakes an earlier one of its entity; {@code maxWait} is wall-clock time from
 *       arrival and is kept across restarts.</li>
 *   <li>{@code onMiss: wait} is rejected for partitioned joins (see enricher/DESIGN.md, "Late data").</li>
 *   <li>An event time ({@code event.timestampField}) that is absent or unreadable falls back to the record
 *       timestamp rather than dead-lettering the event.</li>
 *   <li>Table records are timestamped by {@code __source_ts_ms} when present (all materializations); tombstones
 *       carry no value and keep their record timestamp.</li>
 *   <li>Versioned tables have no grace period (KIP-923): the lookup is our own processor (see enricher/README.md, "Late data, start-up and replay").</li>
 * </ul>
 */
package io.cdcenricher.enricher;
