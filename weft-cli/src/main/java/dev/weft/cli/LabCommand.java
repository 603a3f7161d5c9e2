package dev.weft.cli;

import dev.weft.Loop;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import dev.weft.trace.Recorder;
import dev.weft.trace.Slice;
import java.io.PrintWriter;
import java.time.Duration;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import dev.weft.HttpClient;
import dev.weft.testing.MockApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft lab}: the lesson's cases made visible. I/O: N API calls over HTTP to an embedded mock
 * API, one after another and concurrently on one loop. CPU: a CPU-bound job one after another, on
 * one loop, and on the thread and process pools ({@link CpuLab}).
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Shows which execution model a workload needs, by running it each way and measuring.")
final class LabCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    CommandSpec spec;

    @Option(names = "--tasks", defaultValue = "50", description = "Simulated API calls (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--latency-ms", defaultValue = "100",
            description = "Latency of each call in milliseconds (default: ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--case", defaultValue = "all", description = "io, cpu or all (default: ${DEFAULT-VALUE}).")
    String which = "all";

    @Option(names = "--primes-below", defaultValue = "5000000",
            description = "Size of the CPU-bound job: count the primes below this (default: ${DEFAULT-VALUE}).")
    int primesBelow;

    /** One row of the table. */
    record Row(String model, long wallNanos, long busyNanos) {}

    @Override
    public Integer call() throws Exception {
        if (!List.of("io", "cpu", "all").contains(which)) {
            throw new ParameterException(spec.commandLine(), "--case must be io, cpu or all, got '" + which + "'");
        }
        if (primesBelow < 1_000 || primesBelow > 500_000_000) {
            throw new ParameterException(spec.commandLine(), "--primes-below must be between 1000 and 500000000, got "
                    + primesBelow);
        }
        int code = which.equals("cpu") ? 0 : io();
        if (code == 0 && !which.equals("io")) {
            PrintWriter out = spec.commandLine().getOut();
            if (which.equals("all")) {
                out.println();
            }
            CpuLab.run(out, primesBelow);
            out.flush();
        }
        return code;
    }

    private int io() {
        if (tasks < 1 || tasks > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--tasks must be between 1 and 1000000, got " + tasks);
        }
        if (latencyMs < 0 || latencyMs > 60_000) {
            throw new ParameterException(spec.commandLine(), "--latency-ms must be between 0 and 60000, got " + latencyMs);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("I/O-bound: %d API calls over HTTP to a local mock API, each answering after %d ms%n%n", tasks,
                latencyMs);
        out.flush();
        Row[] rows = new Row[4];
        try (MockApi.Background api = MockApi.builder().buildInBackground(); HttpClient http = HttpClient.builder().http11().build();
                java.net.http.HttpClient blockingHttp = java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
            IntFunction<String> url = i -> api.baseUrl() + "/api/" + i + "?latency_ms=" + latencyMs;
            rows[0] = measure("sequential (one after another)", () -> {
                for (int i = 0; i < tasks; i++) {
                    http.get(url.apply(i));
                }
            });
            rows[1] = measure("concurrent (one loop, " + tasks + " tasks)", () -> concurrently(i -> http.get(url.apply(i))));
            rows[2] = measure("concurrent, but each call blocks the loop",
                    () -> concurrently(i -> blockingGet(blockingHttp, url.apply(i))));
            rows[3] = measure("blocking calls moved to Weft.toThread",
                    () -> concurrently(i -> Weft.toThread(() -> blockingGet(blockingHttp, url.apply(i)))));
        } catch (IOException | InterruptedException e) {
            spec.commandLine().getErr().println("weft lab: the embedded mock API failed: " + e);
            return 1;
        }
        Row sequential = rows[0];
        Table table = new Table("model", "wall time", "speed-up", "loop busy");
        for (Row r : rows) {
            table.row(r.model(), Table.seconds(r.wallNanos()),
                    String.format("%.1fx", (double) sequential.wallNanos() / r.wallNanos()),
                    String.format("%.1f%%", 100.0 * r.busyNanos() / r.wallNanos()));
        }
        table.print(out);
        out.printf("%nWaiting is I/O-bound work: one loop overlaps all of it while it idles (ideal: %d ms)."
                + "%nA call that blocks without suspending (a blocking HTTP client, JDBC, a long computation) holds the"
                + " loop, so the tasks take turns one after another again: the loop is busy doing nothing."
                + "%nWeft.toThread runs such a call on another thread and frees the loop. (Outside the lab the"
                + " stall watchdog reports each such call with its stack.)%n", latencyMs);
        return 0;
    }

    /** One call of the lab, to API number i. */
    private interface Call {
        void run(int i) throws Exception;
    }

    private void concurrently(Call call) throws Exception {
        try (TaskGroup g = TaskGroup.open()) {
            for (int i = 0; i < tasks; i++) {
                int n = i;
                g.spawn("api-" + i, () -> call.run(n));
            }
            g.join();
        }
    }

    /** The JDK client's blocking send: waits without suspending, so it holds the loop. */
    private static Object blockingGet(java.net.http.HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    private static Row measure(String model, dev.weft.Action<Exception> body) throws IOException, InterruptedException {
        Recorder recorder = Recorder.create();
        // the watchdog is off: the blocking row stalls the loop on purpose, and says so itself
        try (Loop loop = Loop.builder().noStallWatchdog().recorder(recorder).build()) {
            long t0 = System.nanoTime();
            try {
                loop.run(body);
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            long busy = recorder.slices().stream().filter(s -> s.kind() == Slice.Kind.RUN).mapToLong(Slice::nanos).sum();
            return new Row(model, System.nanoTime() - t0, busy);
        }
    }
}
