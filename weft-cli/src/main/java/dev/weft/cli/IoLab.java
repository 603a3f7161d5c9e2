package dev.weft.cli;

import dev.weft.HttpClient;
import dev.weft.Weft;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The lab's I/O-bound case: N calls to the embedded mock API, one after another, as tasks of one loop
 * (they wait together), as tasks with a blocking client (each call holds the loop, so they take turns
 * again), and with those blocking calls moved to {@code Weft.toThread}.
 */
final class IoLab {
    /** Where {@link #run}'s rows have the calls one after another. */
    static final int ONE_AFTER_ANOTHER = 0;
    /** Where {@link #run}'s rows have the calls as tasks of one loop. */
    static final int CONCURRENT = 1;

    private IoLab() {}

    /**
     * Runs the case and prints its report. A row that waits for the calls one after another is skipped
     * when it would take longer than {@code maxSequentialNanos}.
     */
    static List<LabRow> run(Lab lab, int calls, long latencyMs, long maxSequentialNanos) throws Exception {
        lab.out().printf("I/O-bound: %d API calls to the embedded mock API, each answering after %d ms%n%n", calls,
                latencyMs);
        HttpClient http = lab.http();
        IntFunction<String> url = lab.api(latencyMs);
        try (java.net.http.HttpClient blocking = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
            long sequentialNanos = calls * latencyMs * 1_000_000L;
            boolean skip = sequentialNanos > maxSequentialNanos;
            String tasks = calls + " tasks";
            String oneByOneHow = calls + " calls one after another";
            LabRow oneByOne = skip ? LabRow.skipped(oneByOneHow, "sequential", sequentialNanos)
                    : lab.measure(oneByOneHow, "sequential", true, () -> {
                        long ok = 0;
                        for (int i = 0; i < calls; i++) {
                            ok += ok(http.get(url.apply(i)).status());
                        }
                        return ok;
                    });
            LabRow concurrent = lab.measure(tasks + " on one loop", "concurrency + asynchrony", false,
                    () -> Lab.concurrently(calls, "api", i -> ok(http.get(url.apply(i)).status())));
            String blockingHow = tasks + ", a blocking client";
            String blockingModel = "concurrency, no asynchrony";
            LabRow held = skip ? LabRow.skipped(blockingHow, blockingModel, sequentialNanos)
                    : lab.measure(blockingHow, blockingModel, true,
                            () -> Lab.concurrently(calls, "api", i -> blockingGet(blocking, url.apply(i))));
            LabRow moved = lab.measure(tasks + ", blocking client in toThread", "concurrency + threads", false,
                    () -> Lab.concurrently(calls, "api",
                            i -> Weft.toThread(() -> blockingGet(blocking, url.apply(i)))));
            List<LabRow> rows = List.of(oneByOne, concurrent, held, moved);
            lab.report("I/O-bound", rows, List.of(concurrent, held), "calls answered 2xx");
            if (skip) {
                lab.out().printf("Skipped: the rows that wait one call after another would take about %d s"
                        + " (%d calls x %d ms); --yes runs them.%n%n", sequentialNanos / 1_000_000_000L, calls,
                        latencyMs);
            }
            return rows;
        }
    }

    /** 1 for a 2xx status: each row counts the calls that succeeded. */
    private static long ok(int status) {
        return status / 100 == 2 ? 1 : 0;
    }

    /** The JDK client's blocking send: it waits without suspending, so it holds the loop. */
    private static long blockingGet(java.net.http.HttpClient http, String url) throws IOException, InterruptedException {
        return ok(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
    }
}
