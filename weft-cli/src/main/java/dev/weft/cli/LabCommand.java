package dev.weft.cli;

import dev.weft.Loop;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import dev.weft.trace.BusyMeter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft lab}: the lesson's I/O case made visible. N simulated API calls, each waiting a fixed
 * latency, run one after another and then concurrently on one loop.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Shows which execution model a workload needs, by running it each way and measuring.")
final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", defaultValue = "50", description = "Simulated API calls (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--latency-ms", defaultValue = "100",
            description = "Latency of each call in milliseconds (default: ${DEFAULT-VALUE}).")
    long latencyMs;

    /** One row of the table. */
    record Row(String model, long wallNanos, long busyNanos) {}

    @Override
    public Integer call() {
        if (tasks < 1 || tasks > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--tasks must be between 1 and 1000000, got " + tasks);
        }
        if (latencyMs < 0 || latencyMs > 60_000) {
            throw new ParameterException(spec.commandLine(), "--latency-ms must be between 0 and 60000, got " + latencyMs);
        }
        PrintWriter out = spec.commandLine().getOut();
        Duration latency = Duration.ofMillis(latencyMs);
        out.printf("I/O-bound: %d API calls, each waiting %d ms%n%n", tasks, latencyMs);
        out.flush();
        Row sequential = measure("sequential (one after another)", () -> {
            for (int i = 0; i < tasks; i++) {
                Weft.sleep(latency);
            }
        });
        Row concurrent = measure("concurrent (one loop, " + tasks + " tasks)",
                () -> concurrently(() -> Weft.sleep(latency)));
        Row blocking = measure("concurrent, but each call blocks the loop",
                () -> concurrently(() -> Thread.sleep(latency)));
        Row offloaded = measure("blocking calls moved to Weft.toThread",
                () -> concurrently(() -> Weft.toThread(() -> Thread.sleep(latency))));
        Table table = new Table("model", "wall time", "speed-up", "loop busy");
        for (Row r : new Row[] {sequential, concurrent, blocking, offloaded}) {
            table.row(r.model(), Table.seconds(r.wallNanos()),
                    String.format("%.1fx", (double) sequential.wallNanos() / r.wallNanos()),
                    String.format("%.1f%%", 100.0 * r.busyNanos() / r.wallNanos()));
        }
        table.print(out);
        out.printf("%nWaiting is I/O-bound work: one loop overlaps all of it while it idles (ideal: %d ms)."
                + "%nA call that blocks without suspending (Thread.sleep, JDBC, a long computation) holds the"
                + " loop, so the tasks take turns one after another again: the loop is busy doing nothing."
                + "%nWeft.toThread runs such a call on another thread and frees the loop. (Outside the lab the"
                + " stall watchdog reports each such call with its stack.)%n", latencyMs);
        return 0;
    }

    private void concurrently(dev.weft.Action<?> call) {
        try (TaskGroup g = TaskGroup.open()) {
            for (int i = 0; i < tasks; i++) {
                g.spawn("api-" + i, call);
            }
            g.join();
        }
    }

    private static Row measure(String model, dev.weft.Action<RuntimeException> body) {
        BusyMeter meter = new BusyMeter();
        // the watchdog is off: the blocking row stalls the loop on purpose, and says so itself
        try (Loop loop = Loop.builder().stallThreshold(null).listener(meter).build()) {
            long t0 = System.nanoTime();
            loop.run(body);
            return new Row(model, System.nanoTime() - t0, meter.busyNanos());
        }
    }
}
