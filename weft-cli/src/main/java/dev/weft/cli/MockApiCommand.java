package dev.weft.cli;

import dev.weft.CancelledException;
import dev.weft.Loop;
import dev.weft.Weft;
import dev.weft.testing.MockApi;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weft mock-api}: a local server that plays many external APIs, for clients and benchmarks. */
@Command(name = "mock-api", mixinStandardHelpOptions = true,
        description = {"Serves a mock HTTP API on 127.0.0.1 until Ctrl-C.",
            "Each request may override the options in its query: ?latency_ms=100&jitter_ms=20&dist=normal&size=1024"
                + "&status=200&error_rate=0.1&mode=hang"})
final class MockApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port on 127.0.0.1; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Time before each answer (default: ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--jitter-ms", defaultValue = "0", description = "Up to this much more latency, at random (default: ${DEFAULT-VALUE}).")
    long jitterMs;

    @Option(names = "--size", defaultValue = "64", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--status", defaultValue = "200", description = "Status of normal answers (default: ${DEFAULT-VALUE}).")
    int status;

    @Option(names = "--error-rate", defaultValue = "0", description = "Share of answers that are 500, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--distribution", defaultValue = "uniform",
            description = "Shape of the extra latency of spread --jitter-ms: uniform, normal or exponential"
                    + " (default: ${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = "--mode", defaultValue = "normal",
            description = "normal, hang, close (mid-body), malformed, trickle or endless (default: ${DEFAULT-VALUE}).")
    String mode;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        MockApi.Options options;
        try {
            options = new MockApi.Options(Duration.ofMillis(latencyMs), Duration.ofMillis(jitterMs), size, status,
                    errorRate, MockApi.Mode.parse(mode), MockApi.Distribution.parse(distribution));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
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
                try (MockApi api = MockApi.start(port, options)) {
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
