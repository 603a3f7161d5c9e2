package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of worker processes: deaths, bad work, a close racing a submit; nothing hangs, nothing is
 * left behind. (Time limits: {@link TaskTimeoutTest}; retries of chunks: {@link ChunkRetryTest}.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolFaultTest {
    private static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Submits n tasks that each take a little time and return the square of their number; kills one
     * worker with SIGKILL once a fifth are done.
     */
    private static List<CompletableFuture<Long>> squaresWithAKill(Pool pool, int n) throws Exception {
        long victim = pool.apply(ProcessPoolFaultTest::pid);
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        CountDownLatch aFifthDone = new CountDownLatch(n / 5);
        for (int i = 0; i < n; i++) {
            long x = i;
            CompletableFuture<Long> f = pool.submit(() -> {
                Thread.sleep(0, 200_000); // the work: long enough that the kill lands in the middle of the tasks
                return x * x;
            });
            var _ = f.whenComplete((v, e) -> aFifthDone.countDown());
            fs.add(f);
        }
        aFifthDone.await();
        ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // kill -9
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get();
        return fs;
    }

    @Test
    void aWorkerKilledInTheMiddleOfTenThousandTasksFailsExactlyTheTaskItRan() throws Exception {
        try (Pool pool = Pool.processes().workers(2).build()) {
            List<CompletableFuture<Long>> fs = squaresWithAKill(pool, 10_000);
            List<Throwable> failures = fs.stream().filter(CompletableFuture::isCompletedExceptionally)
                    .map(f -> f.handle((v, e) -> e).join()).toList();
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0)).isInstanceOfSatisfying(WorkerDiedException.class, e -> {
                assertThat(e.signal()).isEqualTo(9);
                assertThat(e.exitCode()).isEqualTo(137);
                assertThat(e.getMessage()).contains("killed by signal 9");
            });
            for (int i = 0; i < fs.size(); i++) {
                if (!fs.get(i).isCompletedExceptionally()) {
                    assertThat(fs.get(i).join()).isEqualTo((long) i * i);
                }
            }
            assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4); // replaced, goes on
        }
    }

    @Test
    void withRetriesEveryResultOfTenThousandTasksIsCorrectDespiteAKilledWorker() throws Exception {
        try (Pool pool = Pool.processes().workers(2).retries(2).build()) {
            List<CompletableFuture<Long>> fs = squaresWithAKill(pool, 10_000);
            for (int i = 0; i < fs.size(); i++) {
                assertThat(fs.get(i).join()).isEqualTo((long) i * i);
            }
        }
    }

    @Test
    void aWorkerCallingSystemExitFailsItsTaskWithItsExitCode() {
        try (Pool pool = Pool.processes().workers(1).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                System.err.println("about to exit");
                System.exit(3);
                return 0;
            })).isInstanceOfSatisfying(WorkerDiedException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(3);
                assertThat(e.signal()).isZero();
                assertThat(e.lastErrorLines()).contains("about to exit");
            });
            assertThat(pool.apply(() -> "next")).isEqualTo("next");
        }
    }

    @Test
    void aWorkerOutOfMemoryDiesAndIsReplaced() {
        try (Pool pool = Pool.processes().workers(1).jvmOptions(List.of("-Xmx64m")).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                long[][] hog = new long[1 << 16][];
                for (int i = 0;; i++) {
                    hog[i] = new long[1 << 20];
                }
            })).isInstanceOfSatisfying(WorkerDiedException.class, e ->
                    assertThat(String.join("\n", e.lastErrorLines())).contains("OutOfMemoryError"));
            assertThat(pool.apply(() -> 42)).isEqualTo(42);
        }
    }

    @Test
    void maxTasksPerWorkerRecyclesWorkers() {
        try (Pool pool = Pool.processes().workers(1).maxTasksPerWorker(2).build()) {
            List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4, 5, 6),
                    MapOptions.builder().chunkSize(1).build());
            assertThat(Set.copyOf(pids)).hasSize(3);
            assertThat(pids.get(0)).isEqualTo(pids.get(1));
            assertThat(pids.get(2)).isNotEqualTo(pids.get(1));
        }
    }

    @Test
    void workThatDoesNotSerializeFailsAtOnceNamingWhatIsAtFault() {
        Object notSerializable = new Object();
        try (Pool pool = Pool.processes().workers(1).build()) {
            assertThatThrownBy(() -> pool.submit(() -> notSerializable.hashCode()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object is not serializable")
                    .hasMessageContaining("captured value #1, a java.lang.Object");
            assertThatThrownBy(() -> pool.map(x -> x, List.of(new Object())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a map's function or items");
            assertThat(pool.apply(() -> 1)).isEqualTo(1); // the pool goes on
        }
    }

    /** An exception that holds something that does not serialize. */
    static final class Unsendable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object state = new Object();

        Unsendable(String message) {
            super(message);
        }
    }

    @Test
    void anExceptionThatDoesNotSerializeArrivesAsAWorkerExceptionWithItsStackTrace() {
        try (Pool pool = Pool.processes().workers(1).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new Unsendable("holds a socket");
            })).isInstanceOfSatisfying(WorkerException.class, e -> {
                assertThat(e.className()).isEqualTo(Unsendable.class.getName());
                assertThat(e.getMessage()).contains("holds a socket");
                assertThat(e.getStackTrace()).anySatisfy(f ->
                        assertThat(f.getClassName()).contains("ProcessPoolFaultTest"));
            });
        }
    }

    /** The pids of both workers of {@code pool}, which has two: each item waits until both have one. */
    private static Set<Long> pidsOfBoth(Pool pool, Path dir) {
        Rendezvous both = Rendezvous.in(dir, 2);
        return Set.copyOf(pool.map(x -> Long.parseLong(both.arrive().split("-", 2)[0]), List.of(1, 2, 3, 4),
                MapOptions.builder().chunkSize(1).build()));
    }

    @Test
    void noWorkerOutlivesItsPoolClosedOrTerminated(@TempDir Path dir) throws Exception {
        for (boolean terminate : new boolean[] {false, true}) {
            Pool pool = Pool.processes().workers(2).build();
            Set<Long> pids = pidsOfBoth(pool, Files.createDirectory(dir.resolve("terminate-" + terminate)));
            assertThat(pids).hasSize(2);
            if (terminate) {
                pool.terminate();
            } else {
                pool.close();
            }
            for (long p : pids) {
                assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).as("worker %d", p).isFalse();
            }
        }
    }

    /** The parent of {@link #workersExitWhenTheirParentDies}: starts a pool, prints its workers' pids, dies. */
    public static void main(String[] args) throws Exception {
        Pool pool = Pool.processes().workers(2).build();
        Set<Long> pids = pidsOfBoth(pool, Path.of(args[0]));
        System.out.println("pids " + pids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        System.out.flush();
        Runtime.getRuntime().halt(1); // dies without closing the pool
    }

    @Test
    void workersExitWhenTheirParentDies(@TempDir Path dir) throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ProcessPoolFaultTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        try (BufferedReader r = parent.inputReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("pids ")) {
                    for (String p : line.substring(5).split(" ", -1)) {
                        pids.add(Long.parseLong(p));
                    }
                }
            }
        }
        parent.waitFor();
        assertThat(pids).hasSize(2);
        for (long p : pids) {
            ProcessHandle h = ProcessHandle.of(p).orElse(null);
            if (h != null) {
                h.onExit().get(30, TimeUnit.SECONDS); // each worker ends once its parent is gone
            }
        }
    }

    @Test
    void checkedFailuresAreWrappedAsFromWeftAwait() {
        try (Pool pool = Pool.processes().workers(1).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IOException("disk");
            })).isInstanceOf(CompletionException.class).hasRootCauseMessage("disk");
        }
    }

    /** Repeated: it failed about one run in five, reading the dead worker's stderr in a race. */
    @RepeatedTest(5)
    void aWorkerThatCannotStartFailsTheTaskSayingWhyAndThePoolCanClose() {
        try (Pool pool = Pool.processes().workers(1).retries(1).jvmOptions(List.of("-XX:+NoSuchWeftOption")).build()) {
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("died as it started").hasMessageContaining("NoSuchWeftOption");
        }
    }

    /** A job whose serialization (done by submit, after its closed check) lets another thread close the pool. */
    static final class ClosedWhileSerialized implements Job<Integer> {
        private static final long serialVersionUID = 1L;
        transient @Nullable Pool pool;

        @Override
        public Integer call() {
            return 1;
        }

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            Pool p = pool;
            if (p != null) {
                Thread closer = Thread.ofPlatform().start(p::close); // a concurrent close, in the window
                try {
                    closer.join();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            out.defaultWriteObject();
        }
    }

    /**
     * A close between submit's closed check and its queueing (its serialization takes a while for big
     * chunks) must not leave a future that never completes: submit refuses the work, or its future
     * completes (before, the work was queued behind the stop markers and waited for ever).
     */
    @Test
    void submitRacingCloseNeverLeavesAFutureThatNeverCompletes() {
        Pool pool = Pool.processes().workers(1).build();
        try {
            ClosedWhileSerialized job = new ClosedWhileSerialized();
            job.pool = pool;
            CompletableFuture<Integer> f;
            try {
                f = pool.submit(job);
            } catch (IllegalStateException refused) {
                assertThat(refused).hasMessageContaining("closed");
                return;
            }
            f.handle((v, e) -> null).join(); // the test's time limit fails it if it never completes
        } finally {
            pool.terminate();
        }
    }
}
