package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadRecoveryTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final StreamThreadRecovery recovery = new StreamThreadRecovery(now::get);

    /** As Kafka Streams 4.3.1 reports a commit that failed with InvalidTxnStateException during a leader kill. */
    private static StreamsException commitFailed(Throwable cause) {
        return new StreamsException("Error encountered trying to commit a transaction [stream-thread [x-StreamThread-1]]",
                new KafkaException("The producer attempted a transactional operation in an invalid state", cause));
    }

    @Test
    void brokerSideFailuresOfATransactionReplaceTheThread() {
        assertThat(recovery.respondTo(commitFailed(new InvalidTxnStateException("invalid txn state"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.respondTo(commitFailed(new OutOfOrderSequenceException("out of order"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.respondTo(new StreamsException(new TimeoutException("expired"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.respondTo(new StreamsException(new NotEnoughReplicasException("2 of 3"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.respondTo(commitFailed(new ProducerFencedException("fenced"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.recentReplacements()).isEqualTo(5);
    }

    @Test
    void anythingElseShutsTheClientDownWithoutCountingAReplacement() {
        assertThat(recovery.respondTo(new StreamsException("a processor failed", new IllegalStateException("bug"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(recovery.respondTo(new StreamsException(new TopicAuthorizationException("denied"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(recovery.respondTo(commitFailed(new TransactionalIdAuthorizationException("denied"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(recovery.respondTo(new StreamsException(new InvalidTxnTimeoutException("bad config"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(recovery.respondTo(new OutOfMemoryError("heap"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(recovery.recentReplacements()).isZero();
    }

    @Test
    void moreThanTheBoundWithinTheWindowShutsTheClientDownAndTheWindowSlides() {
        Throwable failover = commitFailed(new InvalidTxnStateException("invalid txn state"));
        for (int i = 0; i < StreamThreadRecovery.MAX_REPLACEMENTS; i++) {
            assertThat(recovery.respondTo(failover)).as("replacement " + (i + 1))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.addAndGet(1_000);
        }
        assertThat(recovery.respondTo(failover)).as("one more within the window")
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        // the first replacement leaves the window: one more is allowed, then the bound holds again
        now.set(1_000_000 + StreamThreadRecovery.WINDOW.toMillis());
        assertThat(recovery.respondTo(failover)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.respondTo(failover)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void aCauseChainThatLoopsOnItselfEnds() {
        KafkaException selfCaused = new KafkaException("self") {
            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };
        assertThat(StreamThreadRecovery.brokerSide(selfCaused)).isFalse();
    }
}
