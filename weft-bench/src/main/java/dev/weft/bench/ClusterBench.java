package dev.weft.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.weft.cluster.Worker;
import dev.weft.pool.Job;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * {@code weft bench cluster}: {@code Pool.cluster} beside Hazelcast's own {@code IExecutorService}
 * (what a Hazelcast user writes by hand), on loopback clusters of member JVMs with one worker thread
 * each, started for the run: two members in one cluster, one in another. Each system runs in a
 * client JVM of its own: {@code roundtrip_us} (one task, of the same class in both, submitted and awaited, the median of
 * {@code roundtrips}), {@code map_tasks} (a map of {@code tasks} tiny tasks: Weft's in chunks,
 * Hazelcast's one submit each, tasks/s, the median of {@code map_rounds} after as many to warm up)
 * and {@code speedup} (the pool benchmark's prime count cut in {@code chunks} chunks, on the
 * one-member cluster vs on the two-member one).
 */
public final class ClusterBench {
    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("cluster", "Pool.cluster vs Hazelcast's"
            + " IExecutorService on a loopback cluster of 2 members of 1 thread: submit round trip, map of {tasks} tiny"
            + " tasks, prime count over {chunks} chunks on 2 members vs 1", List.of(
                    new SideBySide.Metric("roundtrip_us", "µs", false), new SideBySide.Metric("map_tasks", "tasks/s", true),
                    new SideBySide.Metric("speedup", "x", true)), 0);

    /** The executor Weft's members run work on ({@code Configs.EXECUTOR}); the raw system uses it too. */
    private static final String EXECUTOR = "weft";
    private static final MapOptions ONE_PER_TASK = MapOptions.builder().chunkSize(1).build();

    private ClusterBench() {}

    /** Starts the members, runs each system {@code repeats} times at {@code scale}, stops the members. */
    public static SideBySide.Result run(Sizes.Scale scale, int repeats, Anchors anchors, PrintStream log)
            throws IOException, InterruptedException {
        Sizes sizes = Sizes.of(SPEC.name(), scale);
        String stamp = Long.toString(ProcessHandle.current().pid());
        String two = "weft-bench-two-" + stamp;
        String one = "weft-bench-one-" + stamp;
        List<Process> members = new ArrayList<>();
        try {
            String first = member(members, two, 5711, null);
            member(members, two, 5711, first);
            String alone = member(members, one, 5731, null); // ports apart: it tries none of the other cluster's
            Map<String, List<String>> systems = new LinkedHashMap<>();
            for (String system : List.of("weft", "hazelcast")) {
                List<String> args = new ArrayList<>(List.of(system, two, first, one, alone));
                args.addAll(sizes.args());
                systems.put(system, SideBySide.java(Worker.JVM_OPTIONS, ClusterBench.class, args));
            }
            List<String> notes = List.of("members: 2 JVMs of 1 worker thread each on 127.0.0.1 (speedup: vs 1 such"
                    + " member); each system is a client JVM of its own");
            return new SideBySide.Result(SPEC, sizes,
                    SideBySide.medians(SPEC, systems, repeats, log, SideBySide::runOnce), notes);
        } finally {
            for (Process p : members) {
                p.toHandle().destroy(); // SIGTERM: the member leaves its cluster
            }
            for (Process p : members) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Starts a member JVM of {@code cluster} on {@code port} or above, joining {@code join} (null: it starts the cluster); its address. */
    private static String member(List<Process> members, String cluster, int port, @Nullable String join)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("member", cluster, Integer.toString(port)));
        if (join != null) {
            args.add(join);
        }
        List<String> command = new ArrayList<>(SideBySide.java(Worker.JVM_OPTIONS, ClusterBench.class, args));
        command.add(1, "-Xmx512m");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        members.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith("member ")) {
                return line.substring("member ".length());
            }
        }
        throw new IOException("a member JVM of cluster " + cluster + " exited before it joined");
    }

    /**
     * {@code member CLUSTER PORT [JOIN]}: a worker of one thread that prints {@code member ADDRESS} and runs
     * until SIGTERM. {@code weft|hazelcast TWO ADDRESS ONE ADDRESS --SIZE VALUE ...}: a client that
     * prints {@code result roundtrip_us=... map_tasks=... speedup=...}.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("member")) {
            Worker.Builder b = Worker.builder().clusterName(args[1]).threads(1).port(Integer.parseInt(args[2]));
            if (args.length > 3) {
                b.join(List.of(args[3]));
            }
            Worker w = b.start();
            Runtime.getRuntime().addShutdownHook(new Thread(w::close));
            System.out.println("member " + w.address());
            System.out.flush();
            w.awaitClosed();
            return;
        }
        Logger.getLogger("com.hazelcast").setLevel(Level.WARNING); // as Weft's own clients: no banners
        Sizes sizes = Sizes.parse(List.of(args).subList(5, args.length));
        Client two = args[0].equals("weft") ? new WeftClient(args[1], args[2]) : new RawClient(args[1], args[2]);
        Client one = args[0].equals("weft") ? new WeftClient(args[3], args[4]) : new RawClient(args[3], args[4]);
        try (two; one) {
            double roundtripUs = roundtripUs(two, sizes.get("roundtrips"));
            double mapTasks = mapTasks(two, sizes.get("tasks"), sizes.get("map_rounds"));
            double speedup = speedup(one, two, sizes.get("primes_below"), sizes.get("chunks"));
            System.out.println("result roundtrip_us=" + roundtripUs + " map_tasks=" + mapTasks + " speedup=" + speedup);
        }
    }

    private static double roundtripUs(Client c, int roundtrips) throws Exception {
        long[] trips = new long[roundtrips];
        for (int i = 0; i < roundtrips * 2; i++) { // the first half warms up
            long s = System.nanoTime();
            int r = c.one();
            if (r != 1) {
                throw new AssertionError("the round trip answered " + r);
            }
            if (i >= roundtrips) {
                trips[i - roundtrips] = System.nanoTime() - s;
            }
        }
        Arrays.sort(trips);
        return trips[roundtrips / 2] / 1e3;
    }

    private static double mapTasks(Client c, int tasks, int rounds) throws Exception {
        List<Integer> items = IntStream.range(0, tasks).boxed().toList();
        double[] rates = new double[rounds];
        for (int r = -rounds; r < rounds; r++) { // the first rounds warm up
            long t0 = System.nanoTime();
            List<Integer> squares = c.squares(items);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (squares.size() != tasks || squares.get(tasks - 1) != (tasks - 1) * (tasks - 1)) {
                throw new AssertionError("the map answered " + squares.size() + " squares, not " + tasks);
            }
            if (r >= 0) {
                rates[r] = tasks / seconds;
            }
        }
        Arrays.sort(rates);
        return rates[rounds / 2];
    }

    /** Time of the prime count on {@code one}'s cluster over its time on {@code two}'s. */
    private static double speedup(Client one, Client two, int primesBelow, int chunks) throws Exception {
        List<int[]> warm = PoolBench.chunks(primesBelow / 10, chunks);
        one.primes(warm);
        two.primes(warm);
        List<int[]> job = PoolBench.chunks(primesBelow, chunks);
        long s1 = System.nanoTime();
        long onOne = one.primes(job);
        double oneSeconds = (System.nanoTime() - s1) / 1e9;
        long s2 = System.nanoTime();
        long onTwo = two.primes(job);
        double twoSeconds = (System.nanoTime() - s2) / 1e9;
        if (onOne != onTwo) {
            throw new AssertionError("one member counted " + onOne + " primes, two members " + onTwo);
        }
        return oneSeconds / twoSeconds;
    }

    /** One system's way to run the three workloads on one cluster. */
    private interface Client extends AutoCloseable {
        int one() throws Exception;

        List<Integer> squares(List<Integer> items) throws Exception;

        /** The primes in all {@code chunks}, each a task. */
        long primes(List<int[]> chunks) throws Exception;

        @Override
        void close();
    }

    /** Weft's pool, a client of the cluster. */
    private static final class WeftClient implements Client {
        private final Pool pool;

        WeftClient(String cluster, String address) {
            this.pool = Pool.cluster().clusterName(cluster).join(List.of(address)).build();
        }

        @Override
        public int one() {
            return pool.apply(new One());
        }

        @Override
        public List<Integer> squares(List<Integer> items) {
            return pool.map(x -> x * x, items);
        }

        @Override
        public long primes(List<int[]> chunks) {
            return pool.map(PoolBench::countPrimes, chunks, ONE_PER_TASK).stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** Hazelcast's client and its executor service, one submit per task. */
    private static final class RawClient implements Client {
        private final HazelcastInstance client;
        private final IExecutorService executor;

        RawClient(String cluster, String address) {
            ClientConfig c = new ClientConfig();
            c.setClusterName(cluster);
            c.getNetworkConfig().addAddress(address);
            c.setProperty("hazelcast.logging.type", "jdk");
            this.client = HazelcastClient.newHazelcastClient(c);
            this.executor = client.getExecutorService(EXECUTOR);
        }

        @Override
        public int one() throws Exception {
            return executor.submit(new One()).get();
        }

        @Override
        public List<Integer> squares(List<Integer> items) throws Exception {
            return all(items.stream().map(x -> executor.submit(new Square(x))).toList());
        }

        @Override
        public long primes(List<int[]> chunks) throws Exception {
            return all(chunks.stream().map(c -> executor.submit(new Primes(c[0], c[1]))).toList()).stream()
                    .mapToLong(Long::longValue).sum();
        }

        private static <T> List<T> all(List<Future<T>> futures) throws InterruptedException, ExecutionException {
            List<T> out = new ArrayList<>(futures.size());
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }

    /** The round trip's task, the same class for both systems: a pool's {@link Job} and Hazelcast's {@link Callable}. */
    private record One() implements Job<Integer>, Callable<Integer> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return 1;
        }
    }

    /** A tiny task: a square. */
    private record Square(int x) implements Callable<Integer>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return x * x;
        }
    }

    /** The prime count of one chunk. */
    private record Primes(int from, int to) implements Callable<Long>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Long call() {
            return PoolBench.countPrimes(new int[] {from, to});
        }
    }
}
