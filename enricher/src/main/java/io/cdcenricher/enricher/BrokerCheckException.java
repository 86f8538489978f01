package io.cdcenricher.enricher;

/**
 * A start-up check or operation against the Kafka cluster that failed (a missing topic, a partition count that
 * differs from the configuration, a broker that does not answer, instances still running during a reset), with a
 * message for the operator. The command line prints the message and exits with 1.
 *
 * <p>It carries no stack trace: the message says everything the operator can act on, and the cause is already
 * part of it.
 */
public final class BrokerCheckException extends RuntimeException {

    public BrokerCheckException(String message) {
        super(message, null, false, false);
    }
}
