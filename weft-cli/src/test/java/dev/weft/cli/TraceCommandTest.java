package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.trace.Recorder;
import dev.weft.trace.Track;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCommandTest extends CliHarness {
    
    @TempDir
    @SuppressWarnings("NullAway.Init") // injected by JUnit
    Path dir;


    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void summaryOfALoopRunsTraceIsTheRecordersOwn() throws IOException {
        sleepConcurrently(Loop.builder()); // warm-up: loading classes is not what the recorded loop does
        Recorder r = Recorder.create();
        sleepConcurrently(Loop.builder().recorder(r));
        Path trace = dir.resolve("run.json");
        r.writeChromeTrace(trace);

        assertThat(run("trace", "summary", trace.toString())).as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo(r.summary() + System.lineSeparator());
        assertThat(out.toString().lines().toList().getLast())
                .startsWith("verdict: I/O-bound: concurrency on one loop fits — the loop was busy ")
                .contains("of their time waiting on I/O and timers (sleep ");
        assertThat(err.toString()).isEmpty();
    }

    private static void sleepConcurrently(Loop.Builder builder) {
        try (Loop loop = builder.build()) {
            loop.run(() -> {
                List<Task<Void>> sleepers = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    sleepers.add(Weft.spawn("sleeper-" + i, () -> Weft.sleep(Duration.ofMillis(200))));
                }
                sleepers.forEach(Weft::await);
            });
        }
    }

    @Test
    void marksWorkFailuresAndDroppedSlicesSurviveTheFile() throws IOException {
        Recorder r = Recorder.create(8);
        long t0 = r.origin();
        long ms = 1_000_000;
        Track crunch = r.track("loop 9 (main)", "crunch \"7\"");
        Track worker = r.track("pool 1", "worker-1");
        crunch.ran(t0 - 50 * ms, t0 - 40 * ms); // before the origin: negative times in the file
        crunch.waited(t0 - 40 * ms, t0, "pool");
        worker.worked(t0 - 40 * ms, t0 - 5 * ms, "job", "java.lang.IllegalStateException: \"bad\"\n\tat x.y(Y.java:1)");
        crunch.marked(t0 + 100 * ms + 1, "stall", """
                state: WAITING
                held the loop for 100 ms (so far) at
                    at java.base/java.lang.Thread.sleep(Thread.java:1)
                    at com.acme.Io.get(Io.java:7)
                """);
        crunch.ran(t0, t0 + 250 * ms + 333);
        worker.worked(t0 + 250 * ms, t0 + 260 * ms, "job", "");
        crunch.waited(t0 + 250 * ms + 333, t0 + 300 * ms, "read");
        crunch.ran(t0 + 300 * ms, t0 + 301 * ms);
        crunch.waited(t0 + 301 * ms, t0 + 400 * ms, "sleep");
        crunch.ran(t0 + 400 * ms, t0 + 401 * ms); // the 10th slice: the first two are dropped
        Path trace = dir.resolve("marks.json");
        r.writeChromeTrace(trace);

        assertThat(run("trace", "summary", trace.toString())).as(err.toString()).isZero();

        String expected = r.summary().toString();
        assertThat(out.toString()).isEqualTo(expected + System.lineSeparator());
        assertThat(expected).contains("""
                  250 ms in loop 9 (main) / crunch "7", blocked
                      at java.base/java.lang.Thread.sleep(Thread.java:1)
                """)
                .contains("pool 1 / worker-1: busy ", "1 failed", "dropped the oldest 2 slices")
                .endsWith("in task 'crunch \"7\"', at com.acme.Io.get(Io.java:7)");
    }

    @Test
    void aMissingOrUnreadableFileIsAUsageError() {
        assertThat(run("trace")).isEqualTo(2);
        assertThat(err.toString()).contains("missing subcommand: weft trace summary FILE");
        assertThat(run("trace", "summary")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
        assertThat(run("trace", "summary", dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file: " + dir.resolve("nope.json"));
        assertThat(run("trace", "summary", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(dir + " is a directory; give a trace file");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFileThatIsNotAWeftTraceFailsSayingWhatItIs() throws IOException {
        String weft = "{\"otherData\":{\"producer\":\"weft\",\"dropped\":0},\"traceEvents\":[\n";
        assertFails(file("a.txt", "hello\n"), "not JSON: Unrecognized token 'hello'");
        assertFails(file("b.json", "[1, 2]"), "not a Chrome trace: it is not a JSON object with \"traceEvents\"");
        assertFails(file("c.json", "{\"a\": 1}"), "not a Chrome trace: it has no \"traceEvents\" array");
        assertFails(file("d.json", "{\"traceEvents\": []}"), "a trace that Weft did not write");
        assertFails(file("e.json", weft + "{\"ph\":\"X\",\"cat\":\"run\",\"pid\":1,\"tid\":2,\"ts\":1.5"),
                "cut short: the JSON ends before it closes what it opened");
        assertFails(file("f.json", weft + "{\"ph\":\"X\",\"cat\":\"run\",\"pid\":1,\"tid\":2,\"dur\":1}]}"),
                "event 0 ({\"ph\":\"X\",\"cat\":\"run\",\"pid\":1,\"tid\":2,\"dur\":1}) has no number \"ts\"");
        assertFails(file("g.json", weft + "{\"ph\":\"X\",\"cat\":\"run\",\"ts\":1,\"dur\":1}]}"),
                "event 0 ({\"ph\":\"X\",\"cat\":\"run\",\"ts\":1,\"dur\":1}) has no numeric \"pid\" and \"tid\"");
        assertThat(out.toString()).isEmpty();
    }

    private void assertFails(Path file, String message) {
        assertThat(run("trace", "summary", file.toString())).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("weft trace summary: " + file + ": " + message);
    }
}
