package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.trace.Recorder;
import dev.weft.trace.Slice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways to trace: per loop with a file or a recorder, and for a whole program with WEFT_TRACE. */
class TraceOptionsTest {
    private final Reports reports = new Reports();

    @Test
    void traceWritesTheChromeTraceAndTheTimelineWhenTheRunEnds(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.json");
        try (Loop loop = Loop.builder().trace(file).reporter(reports).build()) {
            loop.run(() -> Weft.await(Weft.spawn("sleeper", () -> Weft.sleep(Duration.ofMillis(5)))));
        }
        assertThat(Files.readString(file)).startsWith("{").contains("\"traceEvents\"").contains("sleeper #");
        assertThat(dir.resolve("run.html")).isNotEmptyFile();
        assertThat(reports.messages()).singleElement().asString()
                .contains("trace: " + file).contains("timeline: " + dir.resolve("run.html"));
    }

    @Test
    void aSharedRecorderKeepsEachRunAsItsOwnGroup() {
        Recorder recorder = Recorder.create();
        try (Loop loop = Loop.builder().recorder(recorder).noStallWatchdog().build()) {
            loop.run(() -> Weft.sleep(Duration.ofMillis(1)));
            loop.run(() -> Weft.sleep(Duration.ofMillis(1)));
        }
        List<Slice> slices = recorder.slices();
        assertThat(slices.stream().map(s -> s.track().group()).distinct()).hasSize(2);
        assertThat(slices).anyMatch(s -> s.kind() == Slice.Kind.WAIT && s.label().equals("sleep"));
        assertThat(Recorder.recording()).doesNotContain(recorder); // active only while a run is
    }

    @Test
    void weftTraceRecordsAWholeProgramAndWritesAtExit(@TempDir Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("program.json");
        String out = ChildJvm.run(dir, List.of(), TracedProgram.class, Map.of("WEFT_TRACE", file.toString()));
        assertThat(out).contains("trace: " + file).contains("timeline: " + dir.resolve("program.html"));
        String json = Files.readString(file);
        assertThat(json).contains("loop 1 (main)").contains("loop 2 (main)").contains("first #").contains("second #");
    }

    /** Two runs on two loops, traced by WEFT_TRACE alone. */
    static final class TracedProgram {
        private TracedProgram() {}

        public static void main(String[] args) {
            Weft.run(() -> Weft.await(Weft.spawn("first", () -> Weft.sleep(Duration.ofMillis(2)))));
            Weft.run(() -> Weft.await(Weft.spawn("second", () -> Weft.sleep(Duration.ofMillis(2)))));
        }
    }
}
