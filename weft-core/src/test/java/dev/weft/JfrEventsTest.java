package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** Weft's Flight Recorder events, as a recording that enables them receives them. */
class JfrEventsTest {
    /** A recording of one Weft event type; its events are queued as they come. */
    private static final class Stream implements AutoCloseable {
        private final RecordingStream recording = new RecordingStream();
        private final BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();

        Stream(String event) {
            recording.enable(event);
            recording.onEvent(event, events::add);
            recording.startAsync();
        }

        /** The next event that {@code matches} (others, from other tests say, are skipped); waits 30 s at most. */
        RecordedEvent next(Predicate<RecordedEvent> matches) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (;;) {
                RecordedEvent e = events.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("no matching event came in 30 s");
                }
                if (matches.test(e)) {
                    return e;
                }
            }
        }

        @Override
        public void close() {
            recording.close();
        }
    }

    @Test
    void theSettingsFileInTheDocsEnablesEveryWeftEvent() throws Exception {
        Path jfc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("weft.jfc");
        assertThat(Configuration.create(jfc).getSettings()).containsOnly(
                Map.entry("dev.weft.TaskTurn#enabled", "true"), Map.entry("dev.weft.LoopStall#enabled", "true"),
                Map.entry("dev.weft.PoolTask#enabled", "true"), Map.entry("dev.weft.Deadlock#enabled", "true"));
    }

    private static Predicate<RecordedEvent> field(String name, Object value) {
        return e -> value.equals(e.getValue(name));
    }

    @Test
    void eachTurnOfATaskIsATaskTurnEventOnItsThread() throws Exception {
        try (Stream jfr = new Stream("dev.weft.TaskTurn");
                Loop loop = Loop.builder().noStallWatchdog().build()) {
            long id = loop.run(() -> {
                Task<Void> t = Weft.spawn("turner-of-JfrEventsTest", () -> {
                    Weft.sleep(Duration.ofMillis(1));
                    Weft.sleep(Duration.ofMillis(1));
                });
                Weft.await(t);
                return t.id();
            });
            List<RecordedEvent> turns = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // the first turn and one after each sleep
                turns.add(jfr.next(field("task", "turner-of-JfrEventsTest")));
            }
            assertThat(turns).allSatisfy(e -> {
                assertThat(e.getLong("id")).isEqualTo(id);
                assertThat(e.getString("loop")).isEqualTo(Thread.currentThread().getName());
                assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ZERO);
                assertThat(e.getThread()).isNotNull();
                assertThat(e.getThread().isVirtual()).isTrue();
            });
        }
    }

    @Test
    void aStallTheWatchdogReportsIsALoopStallEventWithTheTasksStack() throws Exception {
        Reports reports = new Reports();
        try (Stream jfr = new Stream("dev.weft.LoopStall");
                Loop loop = Loop.builder().stallThreshold(Duration.ofMillis(20)).reporter(reports).build()) {
            // a real stall: the hog waits, without suspending, for the event of its own stall
            RecordedEvent stall = loop.run(() -> Weft.await(Weft.spawn("hog-of-JfrEventsTest",
                    () -> holdTheLoopUntil(jfr))));
            assertThat(stall.getDuration("stalledFor")).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(stall.getString("stack")).contains("holdTheLoopUntil");
        }
    }

    private static RecordedEvent holdTheLoopUntil(Stream jfr) throws InterruptedException {
        return jfr.next(field("task", "hog-of-JfrEventsTest"));
    }

    @Test
    void aDeadlockedRunIsADeadlockEventNamingItsTasks() throws Exception {
        try (Stream jfr = new Stream("dev.weft.Deadlock")) {
            assertThatThrownBy(() -> new Reports().run(() -> {
                Event never = new Event();
                Weft.await(Weft.spawn("stuck-of-JfrEventsTest", never::await));
            })).isInstanceOf(DeadlockException.class);
            RecordedEvent e = jfr.next(r -> r.getString("tasks").contains("stuck-of-JfrEventsTest #"));
            assertThat(e.getString("tasks").lines()).hasSize(2).anySatisfy(l -> assertThat(l).startsWith("main #"));
            assertThat(e.getString("message")).startsWith("deadlock: every task waits")
                    .contains("task 'stuck-of-JfrEventsTest' waits for");
        }
    }

    @Test
    void eachChunkAPoolWorkerRunsIsAPoolTaskEvent() throws Exception {
        try (Stream jfr = new Stream("dev.weft.PoolTask");
                Pool pool = Pool.threads().workers(1).build()) {
            assertThat(pool.map((Integer x) -> x, List.of(1, 2, 3), MapOptions.builder().chunkSize(2).build()))
                    .containsExactly(1, 2, 3);
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class);
            String label = "pool \\d+ \\(threads, 1 worker\\)";
            RecordedEvent two = jfr.next(field("job", "lambda in JfrEventsTest x 2"));
            RecordedEvent one = jfr.next(field("job", "lambda in JfrEventsTest x 1"));
            RecordedEvent failed = jfr.next(field("job", "lambda in JfrEventsTest"));
            assertThat(List.of(two, one, failed)).allSatisfy(e -> {
                assertThat(e.getString("pool")).matches(label);
                assertThat(e.getInt("worker")).isEqualTo(1);
                assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ZERO);
            });
            assertThat(List.of(two.getInt("size"), one.getInt("size"), failed.getInt("size"))).containsExactly(2, 1, 1);
            assertThat(List.of(two.getBoolean("failed"), one.getBoolean("failed"), failed.getBoolean("failed")))
                    .containsExactly(false, false, true);
        }
    }
}
