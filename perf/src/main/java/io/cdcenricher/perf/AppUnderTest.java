package io.cdcenricher.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Properties;

import io.cdcenricher.ops.EnricherProcess;
import io.cdcenricher.ops.Poll;
import io.cdcenricher.ops.PollTimeoutException;
import io.cdcenricher.ops.StackLayout;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/** One app a phase measures: a Kafka Streams instance in the harness JVM, or the enricher jar as its own process. */
interface AppUnderTest extends AutoCloseable {

    void start();

    /** Fails when the app died; the harness polls this while it waits. */
    void checkAlive();

    /**
     * Wall-clock millis when the app was first seen serving (Kafka Streams RUNNING in the harness JVM, {@code /ready}
     * for the jar), waiting up to {@code timeout}.
     */
    long awaitReady(Duration timeout);

    /** Peak resident set size of the app's process in kB, when it runs as its own process. */
    default OptionalLong peakRssKb() {
        return OptionalLong.empty();
    }

    @Override
    void close();

    /** Several instances of one application (same application id) measured as one: started, checked and closed together. */
    final class Group implements AppUnderTest {

        private final java.util.List<? extends AppUnderTest> members;

        Group(java.util.List<? extends AppUnderTest> members) {
            this.members = java.util.List.copyOf(members);
        }

        @Override
        public void start() {
            members.forEach(AppUnderTest::start);
        }

        @Override
        public void checkAlive() {
            members.forEach(AppUnderTest::checkAlive);
        }

        /** When the last member was ready. */
        @Override
        public long awaitReady(Duration timeout) {
            long last = 0;
            for (AppUnderTest member : members) {
                last = Math.max(last, member.awaitReady(timeout));
            }
            return last;
        }

        @Override
        public void close() {
            members.forEach(AppUnderTest::close);
        }
    }

    /** A Kafka Streams app in the harness JVM (passthrough, diy, rpc). */
    final class InProcess implements AppUnderTest {

        private final String name;
        private final KafkaStreams streams;
        private volatile long runningAt;
        private volatile Throwable failure;

        InProcess(String name, Topology topology, Properties props) {
            this.name = name;
            this.streams = new KafkaStreams(topology, props);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING && runningAt == 0) {
                    runningAt = System.currentTimeMillis();
                }
            });
            streams.setUncaughtExceptionHandler(e -> {
                failure = e;
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
        }

        @Override
        public void start() {
            streams.start();
        }

        @Override
        public void checkAlive() {
            if (failure != null) {
                throw new IllegalStateException(name + " failed: " + failure, failure);
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException(name + " stopped: " + streams.state());
            }
        }

        @Override
        public long awaitReady(Duration timeout) {
            try {
                Poll.until(name + " to be RUNNING", timeout, Duration.ofMillis(20), () -> {
                    checkAlive();
                    return runningAt != 0;
                });
            } catch (PollTimeoutException e) {
                throw new IllegalStateException(name + " is not RUNNING after " + timeout.toSeconds() + " s", e);
            }
            return runningAt;
        }

        @Override
        public void close() {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
        }
    }

    /** The enricher jar run the way users run it ({@code java -Xmx512m -jar enricher.jar --config FILE}). */
    final class EnricherJar implements AppUnderTest {

        private final EnricherProcess process;
        private final Path config;

        EnricherJar(StackLayout layout, Path dir, String yaml) {
            this.process = new EnricherProcess(layout, dir);
            this.config = dir.resolve("enricher.yaml");
            try {
                Files.createDirectories(dir);
                Files.writeString(config, yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path logFile() {
            return process.process().logFile();
        }

        @Override
        public void start() {
            process.start(config);
        }

        @Override
        public void checkAlive() {
            if (!process.process().isRunning()) {
                throw new IllegalStateException("the enricher process exited; log " + logFile() + ":\n"
                        + process.process().logTail(30));
            }
        }

        /** Asks the enricher's {@code /ready} every 20 ms; fails at once when the process exits. */
        @Override
        public long awaitReady(Duration timeout) {
            process.awaitReady(timeout);
            return System.currentTimeMillis();
        }

        /** The body of {@code GET /status.json}: per join the rows this instance holds, its partitions. */
        String statusJson() {
            int port = process.httpPort();
            try {
                return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/status.json"))
                        .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
            } catch (IOException e) {
                throw new UncheckedIOException("GET /status.json of the enricher on port " + port, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** VmHWM from /proc: the peak resident set size of the enricher's JVM. */
        @Override
        public OptionalLong peakRssKb() {
            return process.process().handle().map(h -> ProcStatus.kilobytes(h.pid(), "VmHWM"))
                    .orElse(OptionalLong.empty());
        }

        /**
         * CPU time (user + system) the enricher's JVM has used so far: {@code utime + stime} of
         * {@code /proc/<pid>/stat}, which {@link ProcessHandle.Info#totalCpuDuration()} reads; NaN where unknown.
         */
        double cpuSeconds() {
            return process.process().handle().flatMap(h -> h.info().totalCpuDuration())
                    .map(cpu -> cpu.toNanos() / 1e9).orElse(Double.NaN);
        }

        @Override
        public void close() {
            process.stop();
        }
    }
}
