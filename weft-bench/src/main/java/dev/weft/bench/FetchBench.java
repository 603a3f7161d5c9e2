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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft bench fetch}: {@code requests} GETs to a mock API that answers after
 * {@code latency_ms} ms, {@code concurrency} at a time, by Weft's HTTP client and by aiohttp (on
 * asyncio and on uvloop), each client in its own process, the mock API in another (the {@link Sizes}
 * of {@code fetch}). Ideal wall time: requests / concurrency x latency.
 *
 * <p>Each client runs {@code rounds} rounds of {@code requests} GETs over one session (after up to
 * 1,000 to open its connections): {@code first_wall_s} is the first round's wall time (cold: the
 * JVM is still compiling), {@code requests} and {@code wall_s} are the median of the last three
 * (warm, as a long-running client runs).
 */
public final class FetchBench {
    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("fetch", "{requests} GETs to a mock API answering"
            + " after {latency_ms} ms, {concurrency} at a time (Weft's client vs aiohttp)",
            List.of(new SideBySide.Metric("requests", "requests/s", true), new SideBySide.Metric("wall_s", "s", false),
                    new SideBySide.Metric("first_wall_s", "s", false)), 0);

    private FetchBench() {}

    /** Runs every client {@code repeats} times at {@code scale} against one mock API process; keeps the medians. */
    public static SideBySide.Result run(Sizes.Scale scale, int repeats, Anchors anchors, PrintStream log)
            throws IOException, InterruptedException {
        Sizes sizes = Sizes.of(SPEC.name(), scale);
        List<String> notes = new ArrayList<>();
        List<String> serverArgs = new ArrayList<>(List.of("server"));
        serverArgs.addAll(sizes.args());
        Process server = new ProcessBuilder(SideBySide.java(List.of(), FetchBench.class, serverArgs))
                .redirectErrorStream(true).start();
        try {
            String url = "http://127.0.0.1:" + EchoBench.awaitReady(server, List.of("FetchBench server"));
            Map<String, List<String>> systems = new LinkedHashMap<>();
            List<String> clientArgs = new ArrayList<>(List.of("client", url));
            clientArgs.addAll(sizes.args());
            systems.put("weft", SideBySide.java(List.of(), FetchBench.class, clientArgs));
            if (anchors.python(notes) && anchors.aiohttp(notes)) {
                Path script = SideBySide.extractScript("fetch_client.py");
                List<String> python = List.of("--requests", String.valueOf(sizes.get("requests")), "--concurrency",
                        String.valueOf(sizes.get("concurrency")), "--rounds", String.valueOf(sizes.get("rounds")));
                systems.put("aiohttp", SideBySide.python(anchors, script, List.of(url, "asyncio"), python));
                if (anchors.uvloop(notes)) {
                    systems.put("aiohttp_uvloop", SideBySide.python(anchors, script, List.of(url, "uvloop"), python));
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
            notes.add(sizes.fill("ideal wall time: {requests} / {concurrency} x {latency_ms} ms = ")
                    + (double) sizes.get("requests") / sizes.get("concurrency") * sizes.get("latency_ms") / 1000.0 + " s");
            return new SideBySide.Result(SPEC, sizes, bySystem, notes);
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** CPU time the process has used so far, in nanoseconds (0 where the platform does not tell). */
    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** {@code server --SIZE VALUE ...}: the mock API; {@code client URL --SIZE VALUE ...}: Weft's side, printing {@code result ...}. */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "server" -> server(Sizes.parse(List.of(args).subList(1, args.length)));
            case "client" -> {
                Map<String, Double> m = client(args[1], Sizes.parse(List.of(args).subList(2, args.length)));
                System.out.println("result requests=" + m.get("requests") + " wall_s=" + m.get("wall_s")
                        + " first_wall_s=" + m.get("first_wall_s"));
            }
            default -> throw new IllegalArgumentException("usage: FetchBench server SIZES | client URL SIZES");
        }
    }

    private static void server(Sizes sizes) throws IOException, InterruptedException {
        try (MockApi.Background api = MockApi.builder().latency(Duration.ofMillis(sizes.get("latency_ms")))
                .buildInBackground()) {
            System.out.println("ready port=" + java.net.URI.create(api.baseUrl()).getPort());
            Thread.sleep(Long.MAX_VALUE); // until the harness kills this process
        }
    }

    private static Map<String, Double> client(String url, Sizes sizes) throws IOException {
        int requests = sizes.get("requests");
        int rounds = sizes.get("rounds");
        if (rounds < 3) {
            throw new IllegalArgumentException("--rounds must be at least 3 (the median of the last three is kept)");
        }
        try (Loop loop = Loop.builder().stallThreshold(Duration.ofSeconds(30)).build()) {
            return loop.run(() -> {
                try (HttpClient http = HttpClient.builder().http11().maxPerHost(sizes.get("concurrency")).build()) {
                    fetchAll(http, url, Math.min(requests, 1_000)); // connections
                    double[] walls = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        long t0 = System.nanoTime();
                        fetchAll(http, url, requests);
                        walls[r] = (System.nanoTime() - t0) / 1e9;
                    }
                    double[] warm = Arrays.copyOfRange(walls, rounds - 3, rounds);
                    Arrays.sort(warm);
                    return Map.of("requests", requests / warm[1], "wall_s", warm[1], "first_wall_s", walls[0]);
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
