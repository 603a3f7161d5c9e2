package dev.weft.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import dev.weft.pool.ClusterBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A member of a Weft cluster that runs the work of {@code Pool.cluster()} pools: what
 * {@code weft worker} starts. It runs the work with the application's classes ({@link
 * Builder#classpath}): the community edition of Hazelcast cannot ship code.
 *
 * <pre>{@code
 * try (Worker w = Worker.builder().clusterName("lab").threads(4).start()) {
 *     System.out.println("member " + w.address());
 *     w.awaitClosed();
 * }
 * }</pre>
 *
 * <p>A worker joins only a cluster of its name, found at the {@link Builder#join} addresses (no
 * multicast, no auto-detection), and binds one address, 127.0.0.1 unless told otherwise. There is no
 * authentication or encryption between members: run a cluster on a trusted network only. A worker
 * whose Weft version differs from the cluster's members' refuses to join.
 */
public final class Worker implements AutoCloseable {
    /**
     * The options of a JVM that runs a member or a client (the {@code weft} launcher gives them):
     * Hazelcast reaches into JDK internals, and warns at each start without them.
     */
    public static final List<String> JVM_OPTIONS = List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-modules", "java.se", "--add-exports",
            "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens",
            "java.management/sun.management=ALL-UNNAMED", "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private final HazelcastInstance hz;
    private final String clusterName;
    private final int threads;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Worker(HazelcastInstance hz, String clusterName, int threads) {
        this.hz = hz;
        this.clusterName = clusterName;
        this.threads = threads;
    }

    /** The settings of a worker; {@link Builder#start} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /** Its address, host:port, for others to {@code --join}. */
    public String address() {
        return Members.name(hz.getCluster().getLocalMember());
    }

    /** The name of its cluster. */
    public String clusterName() {
        return clusterName;
    }

    /** How many pieces of work it runs at once. */
    public int threads() {
        return threads;
    }

    /** The addresses of the cluster's members, this one included, oldest first (empty once it has left). */
    public List<String> members() {
        if (!hz.getLifecycleService().isRunning()) {
            return List.of();
        }
        return hz.getCluster().getMembers().stream().map(Members::name).toList();
    }

    /** Waits until the worker has left the cluster (by {@link #close}, or because Hazelcast stopped it). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Leaves the cluster cleanly: the work it was running fails over to the other members (its pools
     * send it there again), and the cluster moves the data it held. Idempotent.
     */
    @Override
    public void close() {
        hz.shutdown();
        closed.countDown();
    }

    @Override
    public String toString() {
        return "weft worker " + address() + " of cluster " + clusterName;
    }

    /**
     * A worker's settings. Each option checks its value at once; {@link #clusterName} is required.
     */
    public static final class Builder {
        private @Nullable String clusterName;
        private List<String> join = List.of();
        private String bind = "127.0.0.1";
        private int port = 5701;
        private int threads = Runtime.getRuntime().availableProcessors();
        private List<Path> classpath = List.of();
        private Consumer<String> log = line -> { };

        private Builder() {}

        /** The cluster's name: members join only a cluster of their name, and pools name it. Required. */
        public Builder clusterName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank");
            }
            this.clusterName = name;
            return this;
        }

        /** Members to join (host:port each; one that answers is enough). Default: none, it starts a cluster. */
        public Builder join(List<String> addresses) {
            this.join = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
            return this;
        }

        /**
         * The address to bind and be reached at (an interface of this machine: a private network's
         * address to reach other machines). Default 127.0.0.1: this machine only.
         */
        public Builder bind(String address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The port to listen on; if taken, the next free one above it. Default 5701. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** How many pieces of work it runs at once; at least 1. Default: the number of cores. */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + n);
            }
            this.threads = n;
            return this;
        }

        /**
         * Where the application's classes are (jars or directories), besides this JVM's class path.
         * Each must exist. Default: none.
         */
        public Builder classpath(List<Path> entries) {
            List<Path> all = List.copyOf(Objects.requireNonNull(entries, "entries"));
            for (Path p : all) {
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("class path entry " + p + " does not exist");
                }
            }
            this.classpath = all;
            return this;
        }

        /** Told, line by line, of members that join or leave the cluster. Default: nobody. */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Starts the member and joins the cluster (or starts it, when nobody is at the {@link #join}
         * addresses).
         *
         * @throws IllegalArgumentException without a {@link #clusterName}
         * @throws IllegalStateException if a member of the cluster runs another Weft version (the
         *     worker has left again), or the member cannot start (the address cannot be bound, say)
         */
        public Worker start() {
            if (clusterName == null) {
                throw new IllegalArgumentException("a worker needs the clusterName of its cluster (--cluster-name):"
                        + " members join only a cluster of their name");
            }
            String name = clusterName;
            HazelcastInstance hz;
            try {
                hz = Hazelcast.newHazelcastInstance(Configs.member(name, bind, port, join, threads, loader()));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot start a member of cluster '" + name + "' bound to " + bind + ": "
                        + e.getMessage(), e);
            }
            Worker w = new Worker(hz, name, threads);
            hz.getLifecycleService().addLifecycleListener(e -> {
                if (e.getState() == LifecycleState.SHUTDOWN) {
                    w.closed.countDown();
                }
            });
            refuseOtherVersions(w);
            var _ = hz.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent e) {
                    log.accept("member " + Members.name(e.getMember()) + " joined: " + w.members().size() + " members");
                }

                @Override
                public void memberRemoved(MembershipEvent e) {
                    log.accept("member " + Members.name(e.getMember()) + " left: " + w.members().size() + " members");
                }
            });
            return w;
        }

        private ClassLoader loader() {
            ClassLoader parent = Worker.class.getClassLoader();
            if (classpath.isEmpty()) {
                return parent;
            }
            List<URL> urls = new ArrayList<>();
            for (Path p : classpath) {
                try {
                    urls.add(p.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new UncheckedIOException(new IOException("class path entry " + p + ": " + e.getMessage(), e));
                }
            }
            return new URLClassLoader("weft-worker-classpath", urls.toArray(URL[]::new), parent);
        }

        /** Leaves at once, with an exception that says why, if a member runs another Weft. */
        private static void refuseOtherVersions(Worker w) {
            String ours = ClusterBackend.weftVersion();
            for (Member m : w.hz.getCluster().getMembers()) {
                String theirs = m.getAttribute(Configs.VERSION);
                if (theirs != null && !theirs.equals(ours)) {
                    w.close();
                    throw new IllegalStateException("this worker runs Weft " + ours + " and refuses to join cluster '"
                            + w.clusterName + "', whose member " + Members.name(m) + " runs Weft " + theirs
                            + ": run one Weft version across the cluster");
                }
            }
        }
    }
}
