package dev.weft.pool;

import dev.weft.internal.Args;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs work in parallel on workers (multiprocessing's {@code Pool} and {@code concurrent.futures}):
 * on threads of this JVM ({@link #threads}), in worker processes ({@link #processes}) or on the
 * members of a cluster ({@link #cluster}), behind one interface.
 *
 * <pre>{@code
 * try (Pool pool = Pool.processes().workers(2).build()) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4));
 * }
 * }</pre>
 *
 * <p>Waiting: the methods that wait for results ({@code map}, {@code apply}, an {@code imap}'s
 * iterator, {@link #asCompleted}) suspend the calling task when called from a task of a loop (the loop
 * runs other tasks meanwhile), and block when called from a plain thread. {@link #submit} returns a
 * future that a task awaits with {@code Weft.await}. A task's failure is rethrown as it was if
 * unchecked, else wrapped in a {@code CompletionException}, with the worker-side stack trace; a
 * {@code map} that fails cancels its chunks not yet started. A task that runs longer than the pool's
 * {@link Builder#taskTimeout} fails with a {@link dev.weft.DeadlineExceededException}.
 *
 * <p>Functions, jobs and items are serializable types ({@link Fn}, {@link Job}): a process pool
 * checks at submit time that they serialize, and fails at once naming what does not.
 *
 * <p>Closing: {@link #close} accepts nothing more, lets queued work finish, then ends the workers
 * (multiprocessing's {@code close} then {@code join}); {@link #terminate} ends them now and fails what
 * had not finished with a {@link dev.weft.TaskCancelledException}. Both wait for the workers to end,
 * so neither may be called from the pool's own threads (a job, or a callback of a pool future): that
 * is an {@code IllegalStateException}.
 *
 * <p>Every method rejects a null argument with a {@code NullPointerException} naming it.
 */
public interface Pool extends AutoCloseable {
    /** The settings of a pool of platform threads of this JVM; {@link ThreadsBuilder#build} makes it. */
    static ThreadsBuilder threads() {
        return new ThreadsBuilder();
    }

    /** The settings of a pool of worker processes; {@link ProcessesBuilder#build} makes it. */
    static ProcessesBuilder processes() {
        return new ProcessesBuilder();
    }

    /**
     * The settings of a pool whose workers are the members of a cluster (Ray's pool, on Hazelcast):
     * needs the {@code weft-cluster} module; {@link ClusterBuilder#build} makes it.
     */
    static ClusterBuilder cluster() {
        return new ClusterBuilder();
    }

    /** How many workers the pool has (a cluster pool: its members' threads, now). */
    int workers();

    /**
     * Runs {@code job} on a worker; the future completes with its result or failure (completing it
     * yourself, or cancelling it, drops the job if it has not started).
     *
     * @throws IllegalArgumentException on a process pool, if the job does not serialize (naming what)
     * @throws IllegalStateException if the pool was closed
     */
    <R> CompletableFuture<R> submit(Job<R> job);

    /** Runs {@code job} on a worker and waits for its result. */
    default <R> R apply(Job<R> job) {
        return Waiting.get(submit(job));
    }

    /** {@code fn} applied to every item, in order; waits for all. */
    default <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return map(fn, items, MapOptions.DEFAULTS);
    }

    /** {@link #map(Fn, Iterable)} with chunking and progress {@code options}. */
    <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options);

    /** {@code fn} applied to each pair of arguments, in order (multiprocessing's {@code starmap}). */
    default <A, B, R> List<R> starmap(Fn2<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> arguments) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(arguments, "arguments");
        List<Map.Entry<? extends A, ? extends B>> pairs = new ArrayList<>();
        arguments.forEach(e -> pairs.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()))); // serializable
        return map((Map.Entry<? extends A, ? extends B> e) -> fn.apply(e.getKey(), e.getValue()), pairs);
    }

    /** {@link #imap(Fn, Iterable, MapOptions)} with the default options. */
    default <T, R> Iterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, MapOptions.DEFAULTS);
    }

    /**
     * {@code fn} applied to the items lazily, in order: items are read and submitted as results are
     * consumed, at most {@link MapOptions.Builder#maxInFlight} chunks ahead, so an endless or huge input
     * streams. The iterator's {@code next} waits for the next result.
     */
    <T, R> Iterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options);

    /** {@link #imapUnordered(Fn, Iterable, MapOptions)} with the default options. */
    default <T, R> Iterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imapUnordered(fn, items, MapOptions.DEFAULTS);
    }

    /** As {@link #imap(Fn, Iterable, MapOptions)}, but the results come as they are done. */
    <T, R> Iterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options);

    /**
     * {@code futures} in the order they complete (concurrent.futures' {@code as_completed}, and as
     * {@code Tasks.asCompleted}): an iterator's {@code next} waits for one more to complete and returns
     * it, done. Each {@code iterator()} starts over from all of {@code futures}; a future listed twice
     * is returned once.
     */
    static <R> Iterable<CompletableFuture<R>> asCompleted(Collection<? extends CompletableFuture<R>> futures) {
        Objects.requireNonNull(futures, "futures");
        List<CompletableFuture<R>> all = List.copyOf(futures);
        return () -> Waiting.asCompleted(all);
    }

    /** Accepts nothing more, lets queued work finish, ends the workers; waits for all that. Idempotent. */
    @Override
    void close();

    /** Ends the workers now; work not finished fails with a {@code TaskCancelledException}. Idempotent. */
    void terminate();

    /**
     * The settings every pool has. Each option checks its value at once ({@code IllegalArgumentException}
     * naming the option and the value); an option not called keeps its default.
     *
     * @param <B> the builder's own type, returned by each option
     */
    abstract sealed class Builder<B extends Builder<B>> permits ThreadsBuilder, ProcessesBuilder, ClusterBuilder {
        int workers = Runtime.getRuntime().availableProcessors();
        @Nullable Job<?> initializer;
        @Nullable Duration taskTimeout;
        @Nullable PoolListener listener;

        Builder() {}

        abstract B self();

        /** Makes the pool; its workers start at once. */
        public abstract Pool build();

        /** How many workers (default: the number of cores); at least 1. */
        public B workers(int n) {
            this.workers = Args.atLeast(n, 1, "workers");
            return self();
        }

        /** Run once in each worker before its first task (a failure fails the pool's tasks). Default: none. */
        public B initializer(Job<?> initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return self();
        }

        /**
         * Each task's time limit, from the moment a worker starts it (not while it waits in the queue):
         * past it, the task's future fails with a {@link dev.weft.DeadlineExceededException}; a process
         * pool also kills the worker that runs it and replaces it (a thread cannot be stopped: it runs
         * on). Positive. Default: no limit.
         */
        public B taskTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            this.taskTimeout = Args.positive(timeout, "taskTimeout");
            return self();
        }

        /**
         * Tells {@code listener} what the pool does: work queued, started, finished or failed, workers
         * started, died, replaced (see {@link PoolListener} for when and from which threads). Default:
         * none. A pool also records its workers into the {@link dev.weft.trace.Recorder#recording()
         * recorders recording} when it is built, and into JFR when a recording enables its events.
         */
        public B listener(PoolListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return self();
        }
    }

    /** The settings of {@link Pool#threads()}: a {@code ForkJoinPool} of platform threads (work stealing). */
    final class ThreadsBuilder extends Builder<ThreadsBuilder> {
        ThreadsBuilder() {}

        @Override
        ThreadsBuilder self() {
            return this;
        }

        @Override
        public Pool build() {
            return new ThreadPool(this);
        }
    }

    /**
     * The settings of {@link Pool#processes()}: worker JVMs started in parallel, talking over their
     * standard input and output. They run this JVM's {@code java} with its class path (and module
     * path), the {@link #jvmOptions} and nothing else of the parent's command line: give them the
     * options they need there. Classes must be loadable from that path (not from a custom class
     * loader).
     */
    final class ProcessesBuilder extends Builder<ProcessesBuilder> {
        int maxTasksPerWorker;
        int retries;
        List<String> jvmOptions = List.of();

        ProcessesBuilder() {}

        @Override
        ProcessesBuilder self() {
            return this;
        }

        /** A worker is replaced by a fresh one after this many tasks (at least 1). Default: never. */
        public ProcessesBuilder maxTasksPerWorker(int n) {
            this.maxTasksPerWorker = Args.atLeast(n, 1, "maxTasksPerWorker");
            return this;
        }

        /**
         * Work whose worker died is run again on a fresh worker: a job up to {@code n} more times; a
         * map's chunk is split in two halves, each run again, down to single items, and an item up to
         * {@code n} more times (so work that can finish does, however often workers die). Default 0:
         * the work fails with a {@link WorkerDiedException}.
         */
        public ProcessesBuilder retries(int n) {
            this.retries = Args.atLeast(n, 0, "retries");
            return this;
        }

        /** Options for the workers' JVMs, e.g. {@code -Xmx512m}. Default: none. */
        public ProcessesBuilder jvmOptions(List<String> options) {
            Objects.requireNonNull(options, "options");
            this.jvmOptions = List.copyOf(options); // rejects a null element
            return this;
        }

        @Override
        public Pool build() {
            return new ProcessPool(this);
        }
    }

    /**
     * The settings of {@link Pool#cluster()}: the pool's work runs on the members of a Hazelcast
     * cluster (the {@code weft-cluster} module must be on the class path). With no {@link #join}
     * addresses, the pool starts a member in this JVM, bound to 127.0.0.1, with {@link #workers}
     * threads: the same program runs on a laptop. With addresses, it joins the cluster named
     * {@link #clusterName} as a client and runs nothing itself; the members are {@code weft worker}s
     * started with the application's class path (the community edition cannot ship code: a task whose
     * class a member lacks fails, naming the class and the member).
     *
     * <p>Work goes to the member with the most free threads. When a member leaves or dies, the work it
     * was running goes to the others (so tasks must be idempotent: one may have run, in part, on the
     * lost member); a member that joins takes work at once. There is no authentication or encryption
     * between members: run a cluster on a trusted network only.
     */
    final class ClusterBuilder extends Builder<ClusterBuilder> {
        @Nullable String clusterName;
        List<String> join = List.of();
        int retries = 3;
        Duration memberWait = Duration.ofSeconds(30);
        private boolean workersGiven;

        ClusterBuilder() {}

        @Override
        ClusterBuilder self() {
            return this;
        }

        /** The threads of the member the pool starts in this JVM (no {@link #join}); default: the number of cores. */
        @Override
        public ClusterBuilder workers(int n) {
            workersGiven = true;
            return super.workers(n);
        }

        /** The cluster's name: required with {@link #join}, as every member's {@code --cluster-name}. */
        public ClusterBuilder clusterName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank");
            }
            this.clusterName = name;
            return this;
        }

        /**
         * Joins the cluster of these members as a client ({@code host:port} each, e.g.
         * {@code "10.0.0.5:5701"}; one that answers is enough). Default: none, a member in this JVM.
         */
        public ClusterBuilder join(List<String> addresses) {
            Objects.requireNonNull(addresses, "addresses");
            List<String> all = List.copyOf(addresses); // rejects a null element
            if (all.isEmpty()) {
                throw new IllegalArgumentException("join needs at least one address (host:port)");
            }
            this.join = all;
            return this;
        }

        /**
         * Work whose member left or died goes to another member, up to {@code n} more times for a
         * job or a map's item (a chunk is split first, as on {@link ProcessesBuilder#retries}); past
         * that it fails with a {@link MemberLostException}. Default 3.
         */
        public ClusterBuilder retries(int n) {
            this.retries = Args.atLeast(n, 0, "retries");
            return this;
        }

        /**
         * How long to wait for a member able to run work: to reach the cluster when the pool is built,
         * and when every member has gone; past it, the waiting work fails with an
         * {@code IllegalStateException} that says so. Positive. Default 30 seconds.
         */
        public ClusterBuilder memberWait(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            this.memberWait = Args.positive(wait, "memberWait");
            return this;
        }

        /**
         * Makes the pool: starts its member, or connects to the cluster.
         *
         * @throws IllegalStateException if {@code weft-cluster} is not on the class path, or the
         *     cluster cannot be reached within {@link #memberWait}
         * @throws IllegalArgumentException if {@link #join} was given without {@link #clusterName},
         *     or with {@link #workers} (the members' threads are theirs: {@code weft worker --threads})
         */
        @Override
        public Pool build() {
            if (!join.isEmpty() && clusterName == null) {
                throw new IllegalArgumentException("a pool that joins a cluster needs its clusterName"
                        + " (the --cluster-name its members were started with)");
            }
            if (!join.isEmpty() && workersGiven) {
                throw new IllegalArgumentException("workers sets the threads of a member in this JVM; a pool that"
                        + " joins a cluster runs its work on the members' threads (weft worker --threads)");
            }
            return new ClusterPool(this);
        }
    }
}
