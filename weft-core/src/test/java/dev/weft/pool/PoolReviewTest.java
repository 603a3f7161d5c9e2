package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bugs found in review of dev.weft.pool: each test fails on the code as reviewed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolReviewTest {
    private static final Duration HANG = Duration.ofSeconds(30);

    // ------------------------------------------------------------------ thread backend: task timeout

    /**
     * Pool.Builder#taskTimeout is "each task's time limit", and the process backend starts the clock when
     * a worker starts the task. The thread backend calls orTimeout at submit time, so a task that merely
     * waits in the queue behind a busy worker times out without ever running (a map with a timeout fails
     * its later chunks as soon as the input is longer than workers x timeout).
     */
    @Test
    void threadPoolTimeoutDoesNotCountTheTimeATaskWaitsInTheQueue() throws Exception {
        Pool pool = Pool.builder().workers(1).taskTimeout(Duration.ofMillis(300)).threads();
        try {
            AtomicReference<CompletableFuture<Integer>> second = new AtomicReference<>();
            CountDownLatch secondSubmitted = new CountDownLatch(1);
            // Holds the only worker until the second task is done (or 3 s): the second task cannot have
            // started meanwhile, so if it is done, it was never run.
            CompletableFuture<Integer> first = pool.submit(() -> {
                secondSubmitted.await();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (!second.get().isDone() && System.nanoTime() < end) {
                    Thread.sleep(10); // not get(): ForkJoinPool would add a compensating thread that runs it
                }
                return 1;
            });
            second.set(pool.submit(() -> 2)); // takes no time at all once it runs
            secondSubmitted.countDown();
            assertThat(second.get().handle((v, e) -> e == null ? v : e).get(10, TimeUnit.SECONDS))
                    .as("a task that never started must not fail with a TimeoutException")
                    .isEqualTo(2);
            first.handle((v, e) -> null).join();
        } finally {
            pool.terminate();
        }
    }

    // ------------------------------------------------------------------ progress

    /**
     * map must not return before every progress callback has been delivered: the callback is a dependent
     * (thenRun) of a chunk's future, and map waits only for the chunk futures themselves. A chunk that
     * completes while map waits for an earlier one has its callback run by the worker thread, which map
     * never waits for. (PoolContractTest's progress test, which counts the updates after map returns, is
     * racy because of this.) Here the second chunk finishes first and its callback is held until map has
     * returned (or 5 s); the first chunk finishes once that callback has started. The updates can also be
     * told out of order (2 then 1): Tally does addAndGet, then calls update, unsynchronized.
     */
    @Test
    void mapReturnsOnlyAfterEveryProgressUpdate() throws Exception {
        try (Pool pool = Pool.threads(2)) {
            Thread caller = Thread.currentThread();
            CountDownLatch callerWaits = new CountDownLatch(1);
            Thread watcher = Thread.ofPlatform().daemon().start(() -> {
                while (caller.getState() != Thread.State.WAITING) { // parked in map: every chunk is submitted
                    Thread.onSpinWait();
                }
                callerWaits.countDown();
            });
            CountDownLatch firstCallbackStarted = new CountDownLatch(1);
            CountDownLatch returned = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean();
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            List<Integer> out = pool.map((Integer x) -> {
                if (x == 0) {
                    firstCallbackStarted.await(10, TimeUnit.SECONDS); // chunk 0 ends last
                } else {
                    callerWaits.await(10, TimeUnit.SECONDS);
                }
                return x;
            }, List.of(0, 1), MapOptions.defaults().withChunkSize(1).withProgress((done, total) -> {
                if (first.compareAndSet(false, true)) {
                    firstCallbackStarted.countDown();
                    try {
                        returned.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                seen.add(done);
            }));
            List<Long> atReturn = List.copyOf(seen);
            returned.countDown();
            watcher.join();
            assertThat(out).containsExactly(0, 1);
            assertThat(atReturn).as("progress updates delivered when map returned").hasSize(2);
        }
    }

    // ------------------------------------------------------------------ process backend: close race

    /** A job whose serialization (done by submit, after its closed check) lets another thread close the pool. */
    static final class ClosedWhileSerialized implements Job<Integer> {
        private static final long serialVersionUID = 1L;
        transient Pool pool;

        @Override
        public Integer call() {
            return 1;
        }

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            Thread closer = Thread.ofPlatform().start(pool::close); // a concurrent close, in the window
            try {
                closer.join();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            out.defaultWriteObject();
        }
    }


    /**
     * ProcessPool.submit checks {@code closed}, then serializes (which takes a while for big chunks), then
     * adds to the queue: a close (or terminate) in between has already queued the POISONs (or drained the
     * queue) and its slots have ended, so the work is queued behind them and its future never completes.
     * Expected: submit throws IllegalStateException, or the future completes (run or cancelled).
     */
    @Test
    void submitRacingCloseNeverLeavesAFutureThatNeverCompletes() {
        Pool pool = Pool.processes(1);
        try {
            ClosedWhileSerialized job = new ClosedWhileSerialized();
            job.pool = pool;
            CompletableFuture<Integer> f;
            try {
                f = pool.submit(job);
            } catch (IllegalStateException rejected) {
                return; // acceptable: the pool refused the work
            }
            CompletableFuture<Integer> submitted = f;
            assertTimeoutPreemptively(HANG, () -> submitted.handle((v, e) -> null).join(),
                    "the future of work submitted while the pool closed never completes");
        } finally {
            pool.terminate();
        }
    }

    // ------------------------------------------------------------------ process backend: answers that break the slot

    /** A result whose class initializes in the worker but not in the parent (e.g. it needs something only the worker has). */
    record WorkerOnly(int value) implements Serializable {
        static final boolean READY = init();

        private static boolean init() {
            if (Boolean.getBoolean("weft.review.parent")) {
                throw new IllegalStateException("cannot be initialized in the parent");
            }
            return true;
        }
    }

    /**
     * The parent decodes a worker's answer in WorkerSlot.settle, which catches Exception only: an Error
     * while deserializing (ExceptionInInitializerError, NoClassDefFoundError, OutOfMemoryError,
     * StackOverflowError) escapes runOne and run(), and kills the slot's thread. The task's future
     * never completes and the pool has one worker fewer for good (with one worker, every later task
     * hangs too).
     */
    @Test
    void aResultThatFailsToLoadInTheParentFailsItsTaskAndThePoolGoesOn() {
        System.setProperty("weft.review.parent", "true"); // the workers do not inherit it
        Pool pool = Pool.processes(1);
        try {
            CompletableFuture<WorkerOnly> f = pool.submit(() -> new WorkerOnly(1));
            assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(f::join).isInstanceOf(CompletionException.class),
                    "the task whose answer cannot be read here never completes");
            assertTimeoutPreemptively(HANG, () -> assertThat(pool.apply(() -> 2)).isEqualTo(2),
                    "the slot's thread died: the pool serves no more work");
        } finally {
            System.clearProperty("weft.review.parent");
            pool.terminate();
        }
    }

    /**
     * Standard output of a worker is the protocol pipe; System.out is redirected, but anything that
     * writes to file descriptor 1 directly (native code, a subprocess started with inheritIO, the JVM's
     * unified logging with -Xlog or -verbose:gc in jvmOptions) corrupts the stream. The parent then
     * trusts the garbage length: here "x\n" followed by the real frame reads as a 168 MB payload, which
     * it allocates and waits for forever (a length that is negative or too big kills the slot thread
     * instead). Expected: the task fails (the worker is replaced), not a hang.
     */
    @Test
    void strayBytesOnAWorkersStandardOutputFailTheTaskInsteadOfHanging() {
        Pool pool = Pool.processes(1);
        try {
            CompletableFuture<Integer> f = pool.submit(() -> {
                @SuppressWarnings("resource") // fd 1 must stay open
                FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
                fd1.write("x\n".getBytes(StandardCharsets.US_ASCII));
                return 1;
            });
            assertTimeoutPreemptively(HANG, () -> f.handle((v, e) -> null).join(),
                    "a task whose worker wrote to its stdout never completes");
        } finally {
            pool.terminate();
        }
    }

    /**
     * The same corruption from the JVM itself: unified logging (-Xlog:gc, -verbose:gc) writes to stdout
     * even with -XX:+DisplayVMOutputToStderr. "[0.004s]..." comes before the READY frame: the parent reads
     * '[' as a kind and "0.00" as an 808 MB length, allocates it and waits forever in WorkerSlot.start,
     * so no task of the pool ever runs (and close() hangs too). Expected: a worker that cannot start
     * fails the task, as for any other start failure.
     */
    @Test
    void aWorkerJvmOptionThatLogsToStandardOutputDoesNotHangThePool() {
        Pool pool = Pool.builder().workers(1).jvmOptions(List.of("-Xlog:gc")).processes();
        try {
            assertTimeoutPreemptively(HANG, () -> pool.submit(() -> 1).handle((v, e) -> null).join(),
                    "a task of a pool whose workers log to stdout never completes");
        } finally {
            pool.terminate();
        }
    }
}
