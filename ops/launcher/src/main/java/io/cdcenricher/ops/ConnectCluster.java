package io.cdcenricher.ops;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The stack's Connect workers, one group sharing its config, offset and status topics. Any live worker answers for
 * the group (REST calls are forwarded to the group's leader), and the group says which worker runs each task, which a
 * fault run needs to pick the worker to kill.
 */
public final class ConnectCluster {

    private final List<ConnectWorker> workers;

    ConnectCluster(StackSettings settings, StackLayout layout, StackSecrets secrets) {
        this.workers = java.util.stream.IntStream.rangeClosed(1, settings.connectPorts().size())
                .mapToObj(n -> new ConnectWorker(settings, layout, secrets, n)).toList();
    }

    /** Every worker, worker 1 first. */
    public List<ConnectWorker> workers() {
        return workers;
    }

    public ConnectWorker worker(int number) {
        if (number < 1 || number > workers.size()) {
            throw new StackException("no Connect worker " + number + " (the stack has " + workers.size() + ")");
        }
        return workers.get(number - 1);
    }

    /**
     * Launches every worker that is not running with {@code plugins}, then waits for each to list its plugins. A
     * running worker is only checked.
     */
    void up(Duration timeout, ConnectWorker.Plugins plugins, Consumer<String> progress) {
        long start = System.nanoTime();
        for (ConnectWorker worker : workers) {
            progress.accept((worker.process().isRunning() ? "checking " : "starting ") + worker.name() + " at "
                    + worker.address() + " ...");
            worker.start(plugins);
        }
        for (ConnectWorker worker : workers) {
            worker.awaitReady(timeout);
            progress.accept(String.format("%s ready at %s (%.1f s)", worker.name(), worker.address(),
                    (System.nanoTime() - start) / 1e9));
        }
    }

    /** The first worker whose process runs: where REST calls go while another worker is down. */
    public ConnectWorker anyLiveWorker() {
        return workers.stream().filter(w -> w.process().isRunning()).findFirst().orElse(workers.get(0));
    }

    /**
     * The worker that runs task {@code task} of {@code connector}, as the group's status says; empty when the
     * connector or task does not exist or no worker owns it yet. After a worker's crash the status still names it
     * until the group has reassigned the task: check that the worker returned is alive when that matters.
     */
    public Optional<ConnectWorker> workerRunningTask(String connector, int task) {
        return anyLiveWorker().rest().status(connector)
                .flatMap(status -> status.tasks().stream().filter(t -> t.id() == task).findFirst())
                .flatMap(t -> workers.stream().filter(w -> w.workerId().equals(t.workerId())).findFirst());
    }
}
