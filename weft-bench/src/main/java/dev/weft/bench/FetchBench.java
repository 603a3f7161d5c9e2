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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code weft bench fetch}: GETs to a mock API by Weft's HTTP client and by aiohttp (on asyncio and
 * on uvloop), each client in its own process, the mock API in another (the {@link Sizes} of
 * {@code fetch}), in two workloads. Latency-bound: {@code requests} GETs answered after
 * {@code latency_ms} ms, {@code concurrency} at a time (ideal wall time: requests / concurrency x
 * latency). CPU-bound: {@code cpu_gets} GETs answered at once, {@code cpu_concurrency} at a time,
 * which shows what each request costs the client ({@code cpu_requests}, {@code cpu_s_per_10k}).
 *
 * <p>Each client process runs {@code rounds} rounds of its workload over one session (after up to
 * 1,000 GETs to open its connections): {@code first_wall_s} is the first round's wall time (cold: the
 * JVM is still compiling); the requests/s, {@code wall_s} and the process's CPU time per 10,000
 * requests (as the process itself reads it: all its threads, the JIT's and GC's too) are the median
 * of the last three rounds (warm, as a long-running client runs).
 */
public final class FetchBench {
    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("fetch", "{requests} GETs to a mock API answering"
            + " after {latency_ms} ms, {concurrency} at a time; cpu_*: {cpu_gets} GETs answered at once,"
            + " {cpu_concurrency} at a time, and the client process's CPU time (Weft's client vs aiohttp)",
            List.of(new SideBySide.Metric("requests", "requests/s", true), new SideBySide.Metric("wall_s", "s", false),
                    new SideBySide.Metric("first_wall_s", "s", false),
                    new SideBySide.Metric("cpu_requests", "requests/s", true),
                    new SideBySide.Metric("cpu_s_per_10k", "CPU s", false)), 0);

    private FetchBench() {}

    /**
     * Runs every client {@code repeats} times at {@code scale}, latency-bound then CPU-bound, against one
     * mock API process; keeps the medians.
     */
    public static SideBySide.Result run(Sizes.Scale scale, int repeats, Anchors anchors, PrintStream log)
            throws IOException, InterruptedException {
        Sizes sizes = Sizes.of(SPEC.name(), scale);
        Sizes latencyBound = clientSizes(sizes.get("requests"), sizes.get("concurrency"), sizes.get("latency_ms"),
                sizes.get("rounds"));
        Sizes cpuBound = clientSizes(sizes.get("cpu_gets"), sizes.get("cpu_concurrency"), 0, sizes.get("rounds"));
        List<String> notes = new ArrayList<>();
        Process server = new ProcessBuilder(SideBySide.java(List.of(), FetchBench.class, List.of("server")))
                .redirectErrorStream(true).start();
        try {
            String url = "http://127.0.0.1:" + EchoBench.awaitReady(server, List.of("FetchBench server"));
            Map<String, Function<Sizes, List<String>>> clients = new LinkedHashMap<>(); // each one's command at sizes
            clients.put("weft", s -> SideBySide.java(List.of(), FetchBench.class,
                    concat(List.of("client", url), s.args())));
            if (anchors.python(notes) && anchors.aiohttp(notes)) {
                Path script = SideBySide.extractScript("fetch_client.py");
                clients.put("aiohttp", s -> SideBySide.python(anchors, script, List.of(url, "asyncio"), s.args()));
                if (anchors.uvloop(notes)) {
                    clients.put("aiohttp_uvloop", s -> SideBySide.python(anchors, script, List.of(url, "uvloop"),
                            s.args()));
                }
            }
            Map<String, List<String>> systems = new LinkedHashMap<>(); // each client's latency-bound command
            Map<List<String>, List<String>> cpuCommand = new HashMap<>(); // and its CPU-bound one
            clients.forEach((name, client) -> {
                List<String> command = client.apply(latencyBound);
                systems.put(name, command);
                cpuCommand.put(command, client.apply(cpuBound));
            });
            Map<List<String>, Double> serverShare = new HashMap<>();
            Map<String, Map<String, Double>> bySystem = SideBySide.medians(SPEC, systems, repeats, log, command -> {
                Map<String, Double> m = new LinkedHashMap<>(runClient(server, command, serverShare));
                Map<String, Double> cpu = runClient(server, Objects.requireNonNull(cpuCommand.get(command)),
                        serverShare);
                m.put("cpu_requests", cpu.getOrDefault("requests", Double.NaN));
                m.put("cpu_s_per_10k", cpu.getOrDefault("cpu_s_per_10k", Double.NaN)); // the CPU-bound run's
                return m;
            });
            systems.forEach((name, command) -> notes.add(String.format(Locale.ROOT, "the mock API used at most %.2f"
                    + " of a core while %s ran latency-bound, %.2f CPU-bound (it is not the bottleneck while well"
                    + " under 1)",
                    serverShare.getOrDefault(command, 0.0), name,
                    serverShare.getOrDefault(cpuCommand.get(command), 0.0))));
            notes.add(sizes.fill("ideal wall time: {requests} / {concurrency} x {latency_ms} ms = ")
                    + (double) sizes.get("requests") / sizes.get("concurrency") * sizes.get("latency_ms") / 1000.0 + " s");
            return new SideBySide.Result(SPEC, sizes, bySystem, notes);
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What a client process is given: GETs per round, how many at a time, the latency it asks for, rounds. */
    static Sizes clientSizes(int requests, int concurrency, int latencyMs, int rounds) {
        return Sizes.parse(List.of("--requests", String.valueOf(requests), "--concurrency", String.valueOf(concurrency),
                "--latency_ms", String.valueOf(latencyMs), "--rounds", String.valueOf(rounds)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    /** Runs a client; notes in {@code serverShare} the largest share of a core the mock API used meanwhile. */
    private static Map<String, Double> runClient(Process server, List<String> command,
            Map<List<String>, Double> serverShare) throws IOException, InterruptedException {
        long cpu0 = cpuNanos(server.toHandle());
        long t0 = System.nanoTime();
        Map<String, Double> m = SideBySide.runOnce(command);
        serverShare.merge(command, (double) (cpuNanos(server.toHandle()) - cpu0) / (System.nanoTime() - t0), Math::max);
        return m;
    }

    /** CPU time the process has used so far, in nanoseconds (0 where the platform does not tell). */
    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /**
     * {@code server}: the mock API, answering at once unless a request asks for a latency;
     * {@code client URL --SIZE VALUE ...}: Weft's side, printing {@code result ...}.
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "server" -> server();
            case "client" -> System.out.println("result " + client(args[1], Sizes.parse(List.of(args).subList(2,
                    args.length))).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" ")));
            default -> throw new IllegalArgumentException("usage: FetchBench server | client URL SIZES");
        }
    }

    private static void server() throws IOException, InterruptedException {
        try (MockApi.Background api = MockApi.builder().buildInBackground()) {
            System.out.println("ready port=" + java.net.URI.create(api.baseUrl()).getPort());
            Thread.sleep(Long.MAX_VALUE); // until the harness kills this process
        }
    }

    /**
     * {@code rounds} rounds of {@code requests} GETs of {@code URL/api/I?latency_ms=L}, {@code concurrency}
     * at a time, over one client, after up to 1,000 to open its connections: {@code requests} (per
     * second), {@code wall_s} and {@code cpu_s_per_10k} of the warm rounds, {@code first_wall_s}.
     */
    static Map<String, Double> client(String url, Sizes sizes) throws IOException {
        int requests = sizes.get("requests");
        int rounds = sizes.get("rounds");
        String query = "?latency_ms=" + sizes.get("latency_ms");
        if (rounds < 3) {
            throw new IllegalArgumentException("--rounds must be at least 3 (the median of the last three is kept)");
        }
        try (Loop loop = Loop.builder().stallThreshold(Duration.ofSeconds(30)).build()) {
            return loop.run(() -> {
                try (HttpClient http = HttpClient.builder().http11().maxPerHost(sizes.get("concurrency")).build()) {
                    fetchAll(http, url, query, Math.min(requests, 1_000)); // connections
                    double[] walls = new double[rounds];
                    double[] cpus = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        long cpu0 = processCpuNanos();
                        long t0 = System.nanoTime();
                        fetchAll(http, url, query, requests);
                        walls[r] = (System.nanoTime() - t0) / 1e9;
                        cpus[r] = (processCpuNanos() - cpu0) / 1e9;
                    }
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("requests", requests / warm(walls));
                    m.put("wall_s", warm(walls));
                    m.put("first_wall_s", walls[0]);
                    m.put("cpu_s_per_10k", warm(cpus) / requests * 10_000);
                    return m;
                }
            });
        }
    }

    /** The median of the last three rounds. */
    private static double warm(double[] rounds) {
        double[] last = Arrays.copyOfRange(rounds, rounds.length - 3, rounds.length);
        Arrays.sort(last);
        return last[1];
    }

    /** The CPU time this process has used so far, all its threads, in nanoseconds. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this platform does not tell a process's CPU time"))
                .toNanos();
    }

    private static void fetchAll(HttpClient http, String url, String query, int n) {
        List<Task<HttpResponse>> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String u = url + "/api/" + i + query;
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
