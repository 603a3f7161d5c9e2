package dev.weft.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The program's recorder, when the environment variable {@code WEFT_TRACE} (or the system property
 * {@code weft.trace}) names a file: created on first use, it records every loop and pool, and at exit
 * writes the Chrome trace there, the timeline beside it, and the advisor's summary to stderr.
 */
final class ProgramRecorder {
    private ProgramRecorder() {}

    private static final class Holder {
        static final @Nullable Recorder RECORDER = start();
    }

    static Optional<Recorder> get() {
        return Optional.ofNullable(Holder.RECORDER);
    }

    private static @Nullable Recorder start() {
        String where = System.getProperty("weft.trace", System.getenv("WEFT_TRACE"));
        if (where == null || where.isBlank()) {
            return null;
        }
        try {
            Path file = Path.of(where).toAbsolutePath();
            Recorder r = Recorder.create();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-trace-writer").unstarted(() -> {
                try {
                    Path timeline = r.write(file);
                    System.err.println("trace: " + file);
                    System.err.println("timeline: " + timeline);
                    System.err.println(r.summary());
                } catch (IOException | RuntimeException e) {
                    System.err.println("weft: could not write the trace WEFT_TRACE names (" + file + "): " + e);
                }
            }));
            r.activate(); // for the whole program: never closed
            return r;
        } catch (RuntimeException e) { // a path that is not one, or the JVM already exiting: run untraced
            System.err.println("weft: not tracing: WEFT_TRACE=" + where + " cannot be used (" + e + ")");
            return null;
        }
    }
}
