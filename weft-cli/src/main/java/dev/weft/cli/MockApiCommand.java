package dev.weft.cli;

import dev.weft.CancelledException;
import dev.weft.Weft;
import dev.weft.Loop;
import dev.weft.testing.MockApi;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weft mock-api}: a local server that plays many external APIs, for clients and benchmarks. */
@Command(name = "mock-api", mixinStandardHelpOptions = true,
        description = {"Serves a mock HTTP API on 127.0.0.1 until Ctrl-C.",
            "Each request may override the options below in its query, and ask for more:",
            "  latency_ms  jitter_ms  dist  size  status  error_rate  mode",
            "  retry_after=S  adds a header 'Retry-After: S' to a normal answer",
            "  redirects=N    answers with N redirects first (302 to /redirected)",
            "for example:",
            "  /users/1?latency_ms=100&jitter_ms=20&dist=exponential&size=1024",
            "  /users/1?status=503&retry_after=2",
            "  /users/1?error_rate=0.1&mode=hang&redirects=3",
            "A bad value is answered 400, naming the parameter and what it may be.",
            ""})
final class MockApiCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "8080", description = "Port on 127.0.0.1; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--latency-ms", paramLabel = "<ms>", defaultValue = "0", description = "Time before each answer, up to an hour (default: ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--jitter-ms", paramLabel = "<ms>", defaultValue = "0", description = "Spread of a random extra latency (default: ${DEFAULT-VALUE}).")
    long jitterMs;

    @Option(names = "--size", paramLabel = "<bytes>", defaultValue = "64", description = "Payload bytes, up to 16 MiB (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--status", paramLabel = "<status>", defaultValue = "200", description = "Status of normal answers (default: ${DEFAULT-VALUE}).")
    int status;

    @Option(names = "--error-rate", paramLabel = "<share>", defaultValue = "0", description = "Share of answers that are 500, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--distribution", paramLabel = "<dist>", defaultValue = "uniform",
            description = "Shape of the extra latency of spread --jitter-ms: uniform, normal or exponential"
                    + " (default: ${DEFAULT-VALUE}; dist in a query).")
    String distribution = "uniform";

    @Option(names = "--mode", paramLabel = "<mode>", defaultValue = "normal",
            description = "normal, hang, close (mid-body), malformed, trickle or endless (default: ${DEFAULT-VALUE}).")
    String mode = "normal";

    /** The mock API's options, checked by its builder; a rejected value is a usage error naming the option. */
    private MockApi.Builder options() {
        MockApi.Builder b = MockApi.builder();
        try {
            b.port(port);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--port must be from 0 to 65535, got " + port);
        }
        option("--latency-ms", MockApi.Parameter.LATENCY_MS, latencyMs, () -> b.latency(Duration.ofMillis(latencyMs)));
        option("--jitter-ms", MockApi.Parameter.JITTER_MS, jitterMs, () -> b.jitter(Duration.ofMillis(jitterMs)));
        option("--size", MockApi.Parameter.SIZE, size, () -> b.size(size));
        option("--status", MockApi.Parameter.STATUS, status, () -> b.status(status));
        option("--error-rate", MockApi.Parameter.ERROR_RATE, errorRate, () -> b.errorRate(errorRate));
        option("--distribution", MockApi.Parameter.DIST, "'" + distribution + "'",
                () -> b.distribution(constant(MockApi.Distribution.class, distribution)));
        option("--mode", MockApi.Parameter.MODE, "'" + mode + "'", () -> b.mode(constant(MockApi.Mode.class, mode)));
        return b;
    }

    private void option(String name, MockApi.Parameter rule, Object value, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), name + " must be " + rule.allowed() + ", got " + value);
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String text) {
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    }

    @Override
    public Integer call() {
        MockApi.Builder options = options();
        PrintWriter out = spec.commandLine().getOut();
        Thread runner = Thread.currentThread();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> { // Ctrl-C: cancel the loop's main task and let it close the server
            runner.interrupt();
            try {
                stopped.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (Loop loop = Loop.builder().build()) {
            loop.run(() -> {
                try (MockApi api = options.build()) {
                    out.println("mock API listening at " + api.baseUrl() + " (Ctrl-C to stop)");
                    out.flush();
                    Weft.sleepForever();
                }
            });
        } catch (CancelledException e) {
            out.println("mock API stopped");
            out.flush();
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("weft mock-api: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            return 1;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running
            }
            Thread.interrupted(); // the interrupt that stopped the loop has done its work
        }
        return 0;
    }
}
