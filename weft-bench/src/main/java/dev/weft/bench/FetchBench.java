package dev.weft.bench;

import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.Tasks;
import dev.weft.Weft;
import dev.weft.HttpClient;
import dev.weft.HttpResponse;
import dev.weft.testing.MockApi;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft bench fetch}: {@value #REQUESTS} GETs to a mock API that answers after
 * {@value #LATENCY_MS} ms, {@value #CONCURRENCY} at a time, by Weft's HTTP client and by aiohttp (on
 * asyncio and on uvloop), each client in its own process, the mock API in another. Ideal wall time:
 * {@value #REQUESTS} / {@value #CONCURRENCY} x {@value #LATENCY_MS} ms = 1 s.
 *
 * <p>Each client runs {@value #ROUNDS} rounds of {@value #REQUESTS} GETs over one session (after
 * 1,000 to open its connections): {@code first_wall_s} is the first round's wall time (cold: the
 * JVM is still compiling), {@code requests} and {@code wall_s} are the median of the last three
 * (warm, as a long-running client runs).
 */
public final class FetchBench {
    static final int REQUESTS = 10_000;
    static final int CONCURRENCY = 500;
    static final int LATENCY_MS = 50;
    static final int ROUNDS = 8;

    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("fetch", REQUESTS + " GETs to a mock API answering after "
            + LATENCY_MS + " ms, " + CONCURRENCY + " at a time (Weft's client vs aiohttp)",
            List.of(new SideBySide.Metric("requests", "requests/s", true), new SideBySide.Metric("wall_s", "s", false),
                    new SideBySide.Metric("first_wall_s", "s", false)), 0);

    private FetchBench() {}

    /** Runs every client {@code repeats} times against one mock API process; keeps the medians. */
    public static SideBySide.Result run(int repeats, PrintStream log) throws IOException, InterruptedException {
        List<String> notes = new ArrayList<>();
        Process server = new ProcessBuilder(SideBySide.java(List.of(), FetchBench.class, "server"))
                .redirectErrorStream(true).start();
        try {
            String url = "http://127.0.0.1:" + EchoBench.awaitReady(server, List.of("FetchBench server"));
            Map<String, List<String>> systems = new LinkedHashMap<>();
            systems.put("weft", SideBySide.java(List.of(), FetchBench.class, "client", url));
            Anchors anchors = new Anchors(log);
            if (anchors.python(notes) && anchors.aiohttp(notes)) {
                Path script = SideBySide.extractScript("fetch_client.py");
                String n = String.valueOf(REQUESTS);
                String c = String.valueOf(CONCURRENCY);
                String rounds = String.valueOf(ROUNDS);
                systems.put("aiohttp", List.of(Anchors.PYTHON, script.toString(), url, n, c, rounds, "asyncio"));
                if (anchors.uvloop(notes)) {
                    systems.put("aiohttp_uvloop", List.of(Anchors.PYTHON, script.toString(), url, n, c, rounds, "uvloop"));
                }
            }
            Map<List<String>, Double> serverShare = new LinkedHashMap<>();
            Map<String, Map<String, Double>> bySystem = SideBySide.medians(SPEC, systems, repeats, log, command -> {
                long cpu0 = cpuNanos(server);
                long t0 = System.nanoTime();
                Map<String, Double> m = SideBySide.runOnce(command);
                double share = (double) (cpuNanos(server) - cpu0) / (System.nanoTime() - t0);
                serverShare.merge(command, share, Math::max);
                return m;
            });
            systems.forEach((name, command) -> notes.add(String.format(Locale.ROOT,
                    "the mock API used at most %.2f of a core while %s ran (it is not the bottleneck while well under 1)",
                    serverShare.getOrDefault(command, 0.0), name)));
            notes.add("ideal wall time: " + REQUESTS + " / " + CONCURRENCY + " x " + LATENCY_MS + " ms = "
                    + (REQUESTS / CONCURRENCY * LATENCY_MS / 1000.0) + " s");
            return new SideBySide.Result(SPEC, bySystem, notes);
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** CPU time the process has used so far, in nanoseconds (0 where the platform does not tell). */
    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** {@code server}: the mock API; {@code client URL}: Weft's side, printing {@code result ...}. */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "server" -> server();
            case "client" -> {
                Map<String, Double> m = client(args[1]);
                System.out.println("result requests=" + m.get("requests") + " wall_s=" + m.get("wall_s")
                        + " first_wall_s=" + m.get("first_wall_s"));
            }
            default -> throw new IllegalArgumentException("usage: FetchBench server | client URL");
        }
    }

    private static void server() throws IOException, InterruptedException {
        try (MockApi.Background api = MockApi.builder().latency(Duration.ofMillis(LATENCY_MS)).buildInBackground()) {
            System.out.println("ready port=" + java.net.URI.create(api.baseUrl()).getPort());
            Thread.sleep(Long.MAX_VALUE); // until the harness kills this process
        }
    }

    private static Map<String, Double> client(String url) throws IOException {
        try (Loop loop = Loop.builder().stallThreshold(Duration.ofSeconds(30)).build()) {
            return loop.run(() -> {
                try (HttpClient http = HttpClient.builder().http11().maxPerHost(CONCURRENCY).build()) {
                    fetchAll(http, url, Math.min(REQUESTS, 1_000)); // connections
                    double[] walls = new double[ROUNDS];
                    for (int r = 0; r < ROUNDS; r++) {
                        long t0 = System.nanoTime();
                        fetchAll(http, url, REQUESTS);
                        walls[r] = (System.nanoTime() - t0) / 1e9;
                    }
                    double[] warm = java.util.Arrays.copyOfRange(walls, ROUNDS - 3, ROUNDS);
                    java.util.Arrays.sort(warm);
                    return Map.of("requests", REQUESTS / warm[1], "wall_s", warm[1], "first_wall_s", walls[0]);
                }
            });
        }
    }

    private static void fetchAll(HttpClient http, String url, int n) {
        List<Task<HttpResponse>> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String u = url + "/api/" + i;
            calls.add(Weft.spawn(() -> {
                HttpResponse r = http.get(u);
                if (r.status() != 200) {
                    throw new IOException(r.toString());
                }
                return r;
            }));
        }
        Tasks.awaitAll(calls);
    }
}
