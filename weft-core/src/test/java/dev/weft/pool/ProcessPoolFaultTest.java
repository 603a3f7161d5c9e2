package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults of worker processes: deaths, timeouts, bad work; nothing hangs, nothing is left behind. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolFaultTest {
    private static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Submits n tasks that each sleep a little and return the square of their number; kills one worker
     * with SIGKILL once a fifth are done.
     */
    private static List<CompletableFuture<Long>> squaresWithAKill(Pool pool, int n) throws Exception {
        long victim = pool.apply(ProcessPoolFaultTest::pid);
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long x = i;
            fs.add(pool.submit(() -> {
                Thread.sleep(0, 200_000);
                return x * x;
            }));
        }
        while (fs.stream().filter(CompletableFuture::isDone).count() < n / 5) {
            Thread.sleep(5);
        }
        ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // kill -9
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get();
        return fs;
    }

    @Test
    void aWorkerKilledInTheMiddleOfTenThousandTasksFailsExactlyTheTaskItRan() throws Exception {
        try (Pool pool = Pool.processes(2)) {
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
        try (Pool pool = Pool.builder().workers(2).retries(2).processes()) {
            List<CompletableFuture<Long>> fs = squaresWithAKill(pool, 10_000);
            for (int i = 0; i < fs.size(); i++) {
                assertThat(fs.get(i).join()).isEqualTo((long) i * i);
            }
        }
    }

    @Test
    void aWorkerCallingSystemExitFailsItsTaskWithItsExitCode() {
        try (Pool pool = Pool.processes(1)) {
            assertThatThrownBy(() -> pool.apply(() -> {
                System.err.println("about to exit");
                System.exit(3);
                return null;
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
        try (Pool pool = Pool.builder().workers(1).jvmOptions(List.of("-Xmx64m")).processes()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                List<long[]> hog = new ArrayList<>();
                for (;;) {
                    hog.add(new long[1 << 20]);
                }
            })).isInstanceOfSatisfying(WorkerDiedException.class, e ->
                    assertThat(String.join("\n", e.lastErrorLines())).contains("OutOfMemoryError"));
            assertThat(pool.apply(() -> 42)).isEqualTo(42);
        }
    }

    @Test
    void aTaskOverItsTimeLimitHasItsWorkerKilledAndFailsWithATimeout() throws Exception {
        try (Pool pool = Pool.builder().workers(1).taskTimeout(Duration.ofMillis(500)).processes()) {
            long first = pool.apply(ProcessPoolFaultTest::pid);
            CompletableFuture<Long> slow = pool.submit(() -> {
                Thread.sleep(60_000);
                return 0L;
            });
            assertThatThrownBy(slow::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            long after = pool.apply(ProcessPoolFaultTest::pid);
            assertThat(after).isNotEqualTo(first);
            assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void maxTasksPerWorkerRecyclesWorkers() {
        try (Pool pool = Pool.builder().workers(1).maxTasksPerWorker(2).processes()) {
            List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4, 5, 6),
                    MapOptions.defaults().withChunkSize(1));
            assertThat(Set.copyOf(pids)).hasSize(3);
            assertThat(pids.get(0)).isEqualTo(pids.get(1));
            assertThat(pids.get(2)).isNotEqualTo(pids.get(1));
        }
    }

    @Test
    void workThatDoesNotSerializeFailsAtOnceNamingWhatIsAtFault() {
        Object notSerializable = new Object();
        try (Pool pool = Pool.processes(1)) {
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
    void anExceptionThatDoesNotSerializeArrivesAsARemoteExceptionWithItsStackTrace() {
        try (Pool pool = Pool.processes(1)) {
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new Unsendable("holds a socket");
            })).isInstanceOfSatisfying(RemoteException.class, e -> {
                assertThat(e.className()).isEqualTo(Unsendable.class.getName());
                assertThat(e.getMessage()).contains("holds a socket");
                assertThat(e.getStackTrace()).anySatisfy(f ->
                        assertThat(f.getClassName()).contains("ProcessPoolFaultTest"));
            });
        }
    }

    @Test
    void noWorkerOutlivesItsPoolClosedOrTerminated() throws Exception {
        for (boolean terminate : new boolean[] {false, true}) {
            Pool pool = Pool.processes(2);
            Set<Long> pids = Set.copyOf(pool.map(x -> {
                Thread.sleep(30);
                return ProcessHandle.current().pid();
            }, List.of(1, 2, 3, 4), MapOptions.defaults().withChunkSize(1)));
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
        Pool pool = Pool.processes(2);
        List<Long> pids = pool.map(x -> {
            Thread.sleep(30);
            return ProcessHandle.current().pid();
        }, List.of(1, 2, 3, 4), MapOptions.defaults().withChunkSize(1));
        System.out.println("pids " + pids.stream().distinct().map(String::valueOf).collect(Collectors.joining(" ")));
        System.out.flush();
        Runtime.getRuntime().halt(1); // dies without closing the pool
    }

    @Test
    void workersExitWhenTheirParentDies() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ProcessPoolFaultTest.class.getName()).redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        try (BufferedReader r = parent.inputReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("pids ")) {
                    for (String p : line.substring(5).split(" ")) {
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
        try (Pool pool = Pool.processes(1)) {
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new java.io.IOException("disk");
            })).isInstanceOf(CompletionException.class).hasRootCauseMessage("disk");
        }
    }

    @Test
    void aWorkerThatCannotStartFailsTheTaskSayingWhyAndThePoolCanClose() {
        try (Pool pool = Pool.builder().workers(1).retries(1).jvmOptions(List.of("-XX:+NoSuchWeftOption")).processes()) {
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("died as it started").hasMessageContaining("NoSuchWeftOption");
        }
    }

    @Test
    void anInitializerOverTheTimeLimitFailsTheTaskInsteadOfHanging() {
        try (Pool pool = Pool.builder().workers(1).taskTimeout(Duration.ofMillis(500)).initializer(() -> {
            Thread.sleep(60_000);
            return null;
        }).processes()) {
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(CompletionException.class)
                    .hasMessageContaining("its initializer ran longer than PT0.5S");
        }
    }
}
