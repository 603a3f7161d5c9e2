package dev.weft.cli;

import dev.weft.Body;
import dev.weft.HttpClient;
import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import dev.weft.testing.MockApi;
import dev.weft.trace.Recorder;
import dev.weft.trace.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * What the lab's cases share: the output, the progress line, the measuring of a row (each run on a
 * loop of its own, recorded), the embedded mock API and HTTP client, the pools, and the one trace
 * that every case is copied into. Closing it stops the mock API and the pools.
 */
final class Lab implements AutoCloseable {
    /** Slices a row's run keeps: enough for 10,000 calls. */
    private static final int ROW_CAPACITY = 1 << 17;
    /** One item per job: every worker gets some. */
    private static final MapOptions ONE_EACH = MapOptions.builder().chunkSize(1).build();
    /** Slices a case keeps: its rows' last runs. */
    private static final int CASE_CAPACITY = 1 << 19;
    /** Where loops report stalls; held here so that the filter set on it stays. */
    private static final Logger WEFT_LOG = Logger.getLogger("dev.weft");

    private final PrintWriter out;
    private final Progress progress;
    private final Recorder trace = Recorder.create();
    private final int repeats;
    private final Duration stallThreshold;
    private final Optional<Filter> logFilter;
    private String step = "";
    private Optional<MockApi.Background> api = Optional.empty();
    private Optional<HttpClient> http = Optional.empty();
    private Optional<Pool> threads = Optional.empty();
    private Optional<Pool> processes = Optional.empty();

    /**
     * A lab whose fast rows run {@code repeats} times; its loops mark turns longer than
     * {@code stallThreshold} in the trace (the watchdog's log lines are left out: the lab holds loops
     * on purpose and says so itself).
     */
    Lab(PrintWriter out, Progress progress, int repeats, Duration stallThreshold) {
        this.out = out;
        this.progress = progress;
        this.repeats = repeats;
        this.stallThreshold = stallThreshold;
        this.logFilter = Optional.ofNullable(WEFT_LOG.getFilter());
        WEFT_LOG.setFilter(r -> !String.valueOf(r.getMessage()).startsWith("loop stall")
                && logFilter.map(f -> f.isLoggable(r)).orElse(true));
    }

    /** How many times a fast row runs. */
    int repeats() {
        return repeats;
    }

    /** Stdout, with the progress line cleared first. */
    PrintWriter out() {
        progress.clear();
        return out;
    }

    /** Names the case now running, for the progress line ("[1/3] I/O-bound"). */
    void step(String name) {
        this.step = name;
    }

    /** Shows on the progress line what the current case does now. */
    void status(String what) {
        progress.status(step + ": " + what + "...");
    }

    /**
     * Runs {@code work} as the main task of a new loop, once or {@link #repeats} times, and measures
     * each run: wall time, cores used (CPU time of this process and its live child processes over wall
     * time), the loop's busy share from the recording.
     *
     * @throws IllegalStateException if two runs computed different results (a bug)
     */
    LabRow measure(String how, String model, boolean once, Body<Long, Exception> work) throws Exception {
        int runs = once ? 1 : repeats;
        List<Long> walls = new ArrayList<>();
        double[] cores = new double[runs];
        double[] busy = new double[runs];
        Optional<Recorder> recording = Optional.empty();
        long result = 0;
        for (int r = 0; r < runs; r++) {
            status(how + (runs > 1 ? " (run " + (r + 1) + "/" + runs + ")" : ""));
            Recorder recorder = Recorder.create(ROW_CAPACITY);
            recording = Optional.of(recorder);
            try (Loop loop = Loop.builder().recorder(recorder).stallThreshold(stallThreshold).build()) {
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                long value = loop.run(work);
                long wall = System.nanoTime() - t0;
                cores[r] = (double) (cpuNanos() - cpu0) / wall;
                walls.add(wall);
                if (r > 0 && value != result) {
                    throw new IllegalStateException(how + " computed " + result + ", then " + value);
                }
                result = value;
            }
            List<Summary.LoopUse> loops = recorder.summary().loops();
            busy[r] = loops.isEmpty() ? Double.NaN : loops.getFirst().busyShare();
        }
        return new LabRow(how, model, walls, LabRow.median(cores), LabRow.median(busy), recording, result, 0);
    }

    /**
     * Runs {@code call} for 0 to n-1 in tasks of one task group (named {@code name-i}) on the current
     * loop, and adds up what they return.
     */
    static long concurrently(int n, String name, Call call) throws Exception {
        try (TaskGroup g = TaskGroup.open()) {
            List<Task<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(g.spawn(name + "-" + i, () -> call.run(k)));
            }
            g.join();
            return tasks.stream().mapToLong(Task::resultNow).sum();
        }
    }

    /** The work of task i of {@link #concurrently}. */
    @FunctionalInterface
    interface Call {
        long run(int i) throws Exception;
    }

    /**
     * The URLs of the embedded mock API (started now, on first use): API number i, answering after
     * {@code latencyMs}.
     */
    IntFunction<String> api(long latencyMs) throws IOException {
        if (api.isEmpty()) {
            api = Optional.of(MockApi.builder().buildInBackground());
        }
        String base = api.get().baseUrl();
        return i -> base + "/api/" + i + "?latency_ms=" + latencyMs;
    }

    /** Weft's HTTP client (HTTP/1.1, as the mock API speaks), made on first use. */
    HttpClient http() {
        if (http.isEmpty()) {
            http = Optional.of(HttpClient.builder().http11().build());
        }
        return http.get();
    }

    /** A pool of platform threads, one per core, made on first use. */
    Pool threads() {
        if (threads.isEmpty()) {
            threads = Optional.of(Pool.threads().workers(cores()).build());
        }
        return threads.get();
    }

    /** A pool of worker processes, one per core, made on first use and waited for until its workers answer. */
    Pool processes() {
        if (processes.isEmpty()) {
            status("starting " + cores() + " worker processes");
            Pool pool = Pool.processes().workers(cores()).build();
            processes = Optional.of(pool);
            pool.map(x -> x, IntStream.range(0, 4 * cores()).boxed().toList(), ONE_EACH);
        }
        return processes.get();
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Prints a case's table, what every row computed ({@code unit} says what its result counts), the
     * advisor's verdict on the case's recording and the text timelines of the {@code pictured} rows,
     * and adds the rows' recordings to the lab's trace under {@code title}.
     *
     * @throws IllegalStateException if two rows computed different results (a bug)
     */
    void report(String title, List<LabRow> rows, List<LabRow> pictured, String unit) {
        List<Long> results = rows.stream().filter(r -> !r.wasSkipped()).map(LabRow::result).distinct().toList();
        if (results.size() != 1) {
            throw new IllegalStateException(title + ": the rows computed different results, " + results);
        }
        Recorder recording = Recorder.create(CASE_CAPACITY);
        for (LabRow row : rows) {
            row.recording().ifPresent(r -> LabTrace.copy(r, recording, title + ": " + row.how() + " / "));
        }
        PrintWriter o = out();
        LabTable.print(o, rows, repeats);
        o.printf("every row: %,d %s%n", results.getFirst(), unit);
        Summary summary = recording.summary();
        o.printf("advisor: %s (%s)%n", summary.verdict().advice(), summary.evidence());
        for (LabRow row : pictured) {
            row.recording().ifPresent(r -> o.printf("%ntimeline of '%s':%n%s%n", row.how(),
                    r.textTimeline(64, 3).stripTrailing()));
        }
        o.println();
        o.flush();
        LabTrace.copy(recording, trace, "");
    }

    /** The lab's one trace: every case's recordings. */
    Recorder trace() {
        return trace;
    }

    /** CPU time used so far by this process and its live child processes (a process pool's workers). */
    private static long cpuNanos() {
        long self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return self + ProcessHandle.current().children()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    @Override
    public void close() {
        progress.clear();
        WEFT_LOG.setFilter(logFilter.orElse(null));
        processes.ifPresent(Pool::close);
        threads.ifPresent(Pool::close);
        http.ifPresent(HttpClient::close);
        api.ifPresent(MockApi.Background::close);
    }
}
