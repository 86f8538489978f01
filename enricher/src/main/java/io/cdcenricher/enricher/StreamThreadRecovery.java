package io.cdcenricher.enricher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What becomes of a stream thread that died: replaced by a new one when the failure came from the brokers' side of a
 * transaction or a request (a partition leader or a transaction coordinator that moved, a transaction the coordinator
 * aborted), the client shut down for anything else.
 *
 * <p>Why: Kafka Streams turns only some of these errors into a task migration it handles itself; others (for
 * example {@link InvalidTxnStateException} on a commit while a node fails over) end the thread. Ending the whole
 * client for them meant a process exit on every such failover, and when both instances of a group hit it at the
 * same moment (they share the transaction coordinators and leaders) the output stopped until a supervisor restarted
 * them. A new thread is safe under exactly-once: the dead thread's open transaction is aborted (at the latest by
 * the coordinator after the transaction timeout) and the new thread resumes from the last committed offsets; under
 * at-least-once it re-reads from them as any restart does. The global thread cannot be replaced: its failures go
 * the client's way.
 *
 * <p>Bounded: more than {@value #MAX_REPLACEMENTS} replacements within {@link #WINDOW} shut the client down (the
 * process exits and its supervisor takes over), so a failure that a new thread cannot cure does not loop.
 */
final class StreamThreadRecovery {

    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final LongSupplier clock;
    private final Deque<Long> replacements = new ArrayDeque<>();

    StreamThreadRecovery(LongSupplier clock) {
        this.clock = clock;
    }

    /** The response to one dead thread's failure; counts a replacement when it answers REPLACE_THREAD. */
    synchronized StreamThreadExceptionResponse respondTo(Throwable failure) {
        if (!brokerSide(failure)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = clock.getAsLong();
        while (!replacements.isEmpty() && replacements.peekFirst() <= now - WINDOW.toMillis()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Replacements counted in the current window. */
    synchronized int recentReplacements() {
        return replacements.size();
    }

    /**
     * Whether {@code failure} or one of its causes is an error of the brokers' side that a new producer and consumer
     * recover from: a retriable error that outlasted its retries, a fenced or aborted transaction, a transaction
     * state the coordinator no longer knows. Not an authorization or a configuration error: those stay.
     */
    static boolean brokerSide(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof ApplicationRecoverableException
                    || t instanceof TransactionAbortableException || t instanceof InvalidTxnStateException
                    || t instanceof OutOfOrderSequenceException || t instanceof TransactionAbortedException
                    || t instanceof TransactionCoordinatorFencedException) {
                return true;
            }
        }
        return false;
    }
}
