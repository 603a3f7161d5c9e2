package dev.weft.trace;

import static dev.weft.trace.Json.member;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Lock;
import dev.weft.Loop;
import dev.weft.Permit;
import dev.weft.Queue;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Chrome trace and the HTML timeline of a real loop's run, read back and checked. */
class TraceFilesTest {
    private static final Recorder RECORDER = Recorder.create();
    private static final Map<String, String> TASKS = new HashMap<>(); // "name #id" by name
    private static long before;
    private static long after;
    private static Map<String, Object> trace = Map.of();

    /**
     * Tasks that sleep, pass items through a queue, contend for a lock, await each other and yield. Each
     * wait is caused, not timed: the producer puts only once the consumer waits for an item, and the main
     * task releases the lock only once both of its users wait for it.
     */
    @BeforeAll
    static void run() throws IOException {
        before = System.nanoTime();
        try (Loop loop = Loop.builder().recorder(RECORDER).noStallWatchdog().build()) {
            loop.run(() -> {
                Queue<Integer> queue = Queue.fifo(1);
                Lock lock = new Lock();
                lock.acquire();
                Task<Void> sleeper = Weft.spawn("sleeper", () -> {
                    Weft.sleep(Duration.ofMillis(30));
                    Weft.sleep(Duration.ofMillis(30));
                });
                List<Task<?>> tasks = new ArrayList<>(List.of(sleeper, Weft.spawn("producer", () -> {
                    for (int i = 0; i < 5; i++) {
                        while (queue.statistics().gettersWaiting() == 0) {
                            Weft.sleep(Duration.ofMillis(1));
                        }
                        queue.put(i);
                    }
                }), Weft.spawn("consumer", () -> {
                    for (int i = 0; i < 5; i++) {
                        queue.get();
                        try (Permit _ = lock.hold()) {
                            Weft.sleep(Duration.ofMillis(1));
                        }
                    }
                }), Weft.spawn("locker", () -> {
                    for (int i = 0; i < 5; i++) {
                        try (Permit _ = lock.hold()) {
                            Weft.sleep(Duration.ofMillis(1));
                        }
                    }
                }), Weft.spawn("awaiter", () -> Weft.await(sleeper)), yielder("yielder-a"), yielder("yielder-b")));
                while (lock.statistics().waiting() < 2) {
                    Weft.sleep(Duration.ofMillis(1));
                }
                lock.release();
                tasks.forEach(Weft::await);
                tasks.add(Weft.currentTask());
                tasks.forEach(t -> TASKS.put(t.name(), t.name() + " #" + t.id()));
            });
        }
        after = System.nanoTime();
        trace = chromeTrace(RECORDER);
    }

    /** A task that yields 20 times; two of them take turns, so each yield lets the other run. */
    private static Task<Void> yielder(String name) {
        return Weft.spawn(name, () -> {
            for (int i = 0; i < 20; i++) {
                Weft.yield();
            }
        });
    }

    @Test
    void everyEventHasTheFieldsOfItsPhase() {
        assertThat(otherData(trace)).containsEntry("producer", "weft").containsEntry("dropped", BigDecimal.ZERO);
        List<Map<String, Object>> events = events(trace);
        assertThat(events).isNotEmpty();
        for (Map<String, Object> e : events) {
            assertThat(e).as("%s", e).containsKeys("ph", "pid", "name");
            String ph = (String) member(e, "ph");
            assertThat(ph).as("%s", e).isIn("M", "X", "i", "s", "f");
            if (!ph.equals("M")) {
                assertThat(e).as("%s", e).containsKeys("tid", "ts", "cat");
            }
            if (ph.equals("X")) {
                assertThat(num(e, "dur")).as("%s", e).isGreaterThanOrEqualTo(BigDecimal.ZERO);
                assertThat((String) member(e, "cat")).as("%s", e).isIn("run", "wait", "ready", "work");
            }
        }
    }

    @Test
    void timesAreMicrosecondsWithinTheMeasuredRun() {
        List<Map<String, Object>> spans = spans(trace);
        BigDecimal from = micros(before - RECORDER.origin());
        BigDecimal to = micros(after - RECORDER.origin());
        for (Map<String, Object> s : spans) {
            assertThat(num(s, "ts")).as("%s", s).isGreaterThanOrEqualTo(from);
            assertThat(num(s, "ts").add(num(s, "dur"))).as("%s", s).isLessThanOrEqualTo(to);
        }
        // the sleeper slept twice 30 ms: some 60 000 µs (not 60 ms, nor 60 000 000 ns), at most the run's wall time
        BigDecimal slept = spans.stream()
                .filter(s -> member(s, "name").equals("wait: sleep") && tid(s) == tidOf(track("sleeper")))
                .map(s -> num(s, "dur")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(slept).isBetween(new BigDecimal(50_000), to.subtract(from));
    }

    @Test
    void aProcessPerLoopAndAThreadPerTaskNamedAfterIt() {
        List<Map<String, Object>> events = events(trace);
        List<Map<String, Object>> processes = metadata(events, "process_name");
        assertThat(processes).hasSize(1);
        assertThat(name(processes.getFirst())).matches("loop \\d+ \\(.+\\)");
        Map<Integer, String> threads = metadata(events, "thread_name").stream()
                .collect(Collectors.toMap(TraceFilesTest::tid, TraceFilesTest::name));
        assertThat(Set.copyOf(threads.values())).containsExactlyInAnyOrderElementsOf(TASKS.values());
        assertThat(threads).hasSameSizeAs(TASKS);
        assertThat(spans(events).stream().map(TraceFilesTest::tid).collect(Collectors.toSet()))
                .isEqualTo(threads.keySet());
    }

    @Test
    void slicesOfOneTrackNeverOverlapNorDoTheRunsOfOneLoop() {
        List<Map<String, Object>> spans = spans(events(trace));
        spans.stream().collect(Collectors.groupingBy(TraceFilesTest::tid))
                .forEach((tid, own) -> assertNoOverlap(own, "track " + tid));
        List<Map<String, Object>> runs = spans.stream().filter(s -> member(s, "cat").equals("run")).toList();
        assertThat(runs).hasSizeGreaterThan(TASKS.size());
        assertNoOverlap(runs, "the loop's runs");
    }

    @Test
    void waitSlicesSayWhatTheTaskWaitedFor() {
        List<Map<String, Object>> spans = spans(events(trace));
        assertThat(namesOf(spans, "sleeper")).contains("wait: sleep").doesNotContain("wait: lock");
        assertThat(namesOf(spans, "consumer")).contains("wait: queue", "wait: lock", "wait: sleep");
        assertThat(namesOf(spans, "awaiter")).contains("wait: task");
        for (String yielder : List.of("yielder-a", "yielder-b")) {
            assertThat(namesOf(spans, yielder)).containsOnly("ready", "run");
            assertThat(spans.stream().filter(s -> tid(s) == tidOf(track(yielder)) && member(s, "name").equals("ready")))
                    .as("each yield of %s, and its start", yielder).hasSizeGreaterThan(20);
        }
        for (Map<String, Object> s : spans) {
            if (member(s, "cat").equals("wait")) {
                assertThat(member(s, "name")).isEqualTo("wait: " + member(args(s), "reason"));
            }
        }
    }

    @Test
    void aSmallRecorderInALongRunSaysItDroppedSlices(@TempDir Path dir) throws IOException {
        Recorder small = Recorder.create(64);
        try (Loop loop = Loop.builder().recorder(small).noStallWatchdog().build()) {
            loop.run(() -> List.of(yielder("a"), yielder("b"), yielder("c")).forEach(Weft::await));
        }
        long dropped = small.dropped();
        assertThat(dropped).isGreaterThan(64).isEqualTo(small.recorded() - 64);

        Map<String, Object> other = otherData(chromeTrace(small));
        assertThat(other).containsEntry("dropped", new BigDecimal(dropped));
        assertThat((String) member(other, "note")).contains("oldest " + dropped + " slices were dropped");

        Path html = dir.resolve("small.html");
        small.writeTimeline(html);
        assertThat(Files.readString(html)).contains("<p class=\"banner dropped\">")
                .contains("the oldest " + dropped + " slices were dropped");
    }

    @Test
    void aCompleteRecordingHasNoDroppedBanner(@TempDir Path dir) throws IOException {
        Path html = dir.resolve("complete.html");
        RECORDER.writeTimeline(html);
        assertThat(Files.readString(html)).doesNotContain("banner dropped").contains(track("consumer"));
    }

    private static void assertNoOverlap(List<Map<String, Object>> spans, String what) {
        List<Map<String, Object>> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing((Map<String, Object> s) -> num(s, "ts")));
        for (int i = 1; i < sorted.size(); i++) {
            Map<String, Object> a = sorted.get(i - 1);
            Map<String, Object> b = sorted.get(i);
            assertThat(num(a, "ts").add(num(a, "dur"))).as("%s: %s overlaps %s", what, a, b)
                    .isLessThanOrEqualTo(num(b, "ts"));
        }
    }

    /** The track of the task named {@code task}: its name and id. */
    private static String track(String task) {
        return Objects.requireNonNull(TASKS.get(task), task);
    }

    private static Set<Object> namesOf(List<Map<String, Object>> spans, String task) {
        int tid = tidOf(track(task));
        return spans.stream().filter(s -> tid(s) == tid).map(s -> member(s, "name")).collect(Collectors.toSet());
    }

    /** The thread id of the track named {@code track}, from the trace's metadata. */
    private static int tidOf(String track) {
        return metadata(events(trace), "thread_name").stream()
                .filter(m -> name(m).equals(track)).map(TraceFilesTest::tid).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chromeTrace(Recorder recorder) throws IOException {
        Path file = Files.createTempFile("weft-trace", ".json");
        try {
            recorder.writeChromeTrace(file);
            return (Map<String, Object>) Json.parse(Files.readString(file));
        } finally {
            Files.delete(file);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> otherData(Map<String, Object> trace) {
        return (Map<String, Object>) member(trace, "otherData");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> trace) {
        return (List<Map<String, Object>>) member(trace, "traceEvents");
    }

    private static List<Map<String, Object>> spans(Map<String, Object> trace) {
        return spans(events(trace));
    }

    private static List<Map<String, Object>> spans(List<Map<String, Object>> events) {
        return events.stream().filter(e -> member(e, "ph").equals("X")).toList();
    }

    private static List<Map<String, Object>> metadata(List<Map<String, Object>> events, String name) {
        return events.stream().filter(e -> member(e, "ph").equals("M") && member(e, "name").equals(name)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> args(Map<String, Object> event) {
        return (Map<String, Object>) member(event, "args");
    }

    private static String name(Map<String, Object> metadata) {
        return (String) member(args(metadata), "name");
    }

    private static int tid(Map<String, Object> event) {
        return num(event, "tid").intValueExact();
    }

    private static BigDecimal num(Map<String, Object> event, String key) {
        return (BigDecimal) member(event, key);
    }

    private static BigDecimal micros(long nanos) {
        return BigDecimal.valueOf(nanos, 3);
    }
}
