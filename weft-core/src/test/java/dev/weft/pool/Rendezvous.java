package dev.weft.pool;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A meeting point for workers of any backend, in a directory the test owns: {@link #arrive()} marks
 * the calling worker (its pid and thread) as there and waits until {@code parties} distinct workers
 * have arrived, so a test knows, without sleeping, that its work is spread over them. Files, because
 * worker processes share nothing else with the test.
 */
record Rendezvous(String dir, int parties) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** How long a worker waits for the others: past it, the test's assertion about the workers fails. */
    private static final long PATIENCE_NANOS = 30_000_000_000L;

    static Rendezvous in(Path dir, int parties) {
        return new Rendezvous(dir.toString(), parties);
    }

    /** Marks this worker as arrived, waits for the others (or gives up after 30 s); returns this worker's name. */
    String arrive() throws IOException, InterruptedException {
        String me = ProcessHandle.current().pid() + "-" + Thread.currentThread().getName();
        Path mark = Path.of(dir, me);
        if (!Files.exists(mark)) {
            Files.createFile(mark);
        }
        long end = System.nanoTime() + PATIENCE_NANOS;
        while (arrived() < parties && System.nanoTime() < end) {
            Thread.sleep(1); // polls the directory: the signal is the others' files
        }
        return me;
    }

    private long arrived() {
        try (Stream<Path> marks = Files.list(Path.of(dir))) {
            return marks.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
