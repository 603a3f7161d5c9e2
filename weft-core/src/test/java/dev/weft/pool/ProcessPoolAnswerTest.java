package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a worker process sends back, on its standard output (the protocol) and error: an answer that
 * cannot be read here, bytes that are not the protocol, its diagnostics. None of it hangs or breaks
 * the pool; its output reaches the parent through {@code System.Logger}, never its {@code System.err}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolAnswerTest {
    /** A result whose class initializes in the worker but not in the parent (e.g. it needs something only the worker has). */
    record WorkerOnly(int value) implements Serializable {
        static final boolean READY = init();

        private static boolean init() {
            if (Boolean.getBoolean("weft.test.parent")) {
                throw new IllegalStateException("cannot be initialized in the parent");
            }
            return true;
        }
    }

    /**
     * An Error while the parent decodes an answer (ExceptionInInitializerError here) fails that task
     * and the pool goes on (before, it killed the slot's thread: the task never completed, and with
     * one worker no later task ran).
     */
    @Test
    void aResultThatFailsToLoadInTheParentFailsItsTaskAndThePoolGoesOn() {
        System.setProperty("weft.test.parent", "true"); // the workers do not inherit it
        try (Pool pool = Pool.processes().workers(1).build()) {
            CompletableFuture<WorkerOnly> f = pool.submit(() -> new WorkerOnly(1));
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                    .hasMessageContaining("the worker's answer cannot be read here");
            assertThat(pool.apply(() -> 2)).isEqualTo(2);
        } finally {
            System.clearProperty("weft.test.parent");
        }
    }

    /**
     * Anything that writes to a worker's file descriptor 1 directly (native code, a subprocess that
     * inherits it) lands between the frames: it is skipped and relayed, and the task's answer still
     * arrives (before, "x\n" before a frame read as a 168 MB length, allocated and waited for forever).
     */
    @Test
    void strayBytesOnAWorkersStandardOutputAreSkippedAndRelayed() {
        String err = stderrOf(() -> {
            try (Pool pool = Pool.processes().workers(1).build()) {
                assertThat(pool.apply(() -> {
                    @SuppressWarnings("resource") // fd 1 must stay open
                    FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
                    fd1.write("stray line\n".getBytes(StandardCharsets.US_ASCII));
                    return 1;
                })).isEqualTo(1);
            }
        });
        assertThat(err).contains("INFO dev.weft.pool: worker 1: stray line");
    }

    /**
     * The JVM's unified logging (-Xlog:gc) writes to stdout even with -XX:+DisplayVMOutputToStderr,
     * before the first frame: the pool still works (before, '[' read as a kind and "0.00" as an 808 MB
     * length hung every task and close).
     */
    @Test
    void aWorkerJvmOptionThatLogsToStandardOutputDoesNotHangThePool() {
        try (Pool pool = Pool.processes().workers(1).jvmOptions(List.of("-Xlog:gc")).build()) {
            assertThat(pool.apply(() -> 1)).isEqualTo(1);
        }
    }

    /**
     * What a task prints in a worker (its System.out and System.err both go to the worker's stderr)
     * reaches the parent as INFO records of the logger "dev.weft.pool", each naming its worker; the
     * library itself writes nothing to System.err (the tests' logger prints INFO records there as
     * "LEVEL logger: message", which is what this looks for). Closing the pool waits until all of it
     * is relayed.
     */
    @Test
    void aWorkersOutputIsRelayedThroughTheLogger() {
        String err = stderrOf(() -> {
            try (Pool pool = Pool.processes().workers(1).build()) {
                pool.apply(() -> {
                    System.out.println("hello from a task");
                    System.err.println("and its stderr");
                    return 1;
                });
            }
        });
        assertThat(err.lines()).contains("INFO dev.weft.pool: worker 1: hello from a task",
                "INFO dev.weft.pool: worker 1: and its stderr");
        assertThat(err).doesNotContain("[weft worker");
    }

    /** What this process wrote to System.err while {@code body} ran. */
    private static String stderrOf(Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
