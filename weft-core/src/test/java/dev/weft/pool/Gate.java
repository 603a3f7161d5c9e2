package dev.weft.pool;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A signal from a test to its pool's workers, of any backend: {@link #pass()} waits until the test
 * has {@link #open()}ed the gate, a file, since worker processes share nothing else with the test.
 */
record Gate(String file) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static Gate at(Path file) {
        return new Gate(file.toString());
    }

    void open() throws IOException {
        Files.createFile(Path.of(file));
    }

    /** Waits until the gate is open; the test's own time limit ends a wait that never does. */
    void pass() throws InterruptedException {
        while (!Files.exists(Path.of(file))) {
            Thread.sleep(1); // polls the file: the signal is its existence
        }
    }
}
