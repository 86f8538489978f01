package io.cdcenricher.perf.faults;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;

/**
 * Which broker coordinates the transactions of which producer: Kafka Streams with {@code exactly_once_v2} gives each
 * stream thread a transactional id that starts with its application id, and the coordinator is the leader of that
 * id's {@code __transaction_state} partition, so it can be any node of the cluster.
 */
final class TransactionCoordinators {

    private TransactionCoordinators() {
    }

    /** Transactional ids the cluster knows that start with {@code prefix}, each with its coordinator's node id. */
    static Map<String, Integer> of(Properties adminProperties, String prefix) {
        try (Admin admin = Admin.create(adminProperties)) {
            List<String> ids = admin.listTransactions().all().get(15, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).filter(id -> id.startsWith(prefix)).toList();
            Map<String, Integer> coordinators = new TreeMap<>();
            if (ids.isEmpty()) {
                return coordinators;
            }
            Map<String, TransactionDescription> descriptions = admin.describeTransactions(ids).all()
                    .get(15, TimeUnit.SECONDS);
            descriptions.forEach((id, description) -> coordinators.put(id, description.coordinatorId()));
            return coordinators;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing transactions", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the cluster's transactions: "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }
}
