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

/**
 * Runs work in parallel on workers (multiprocessing's {@code Pool} and {@code concurrent.futures}):
 * on threads of this JVM ({@link #threads}) or in worker processes ({@link #processes}), behind one
 * interface.
 *
 * <pre>{@code
 * try (Pool pool = Pool.processes(2)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4));
 * }
 * }</pre>
 *
 * <p>Waiting: the methods that wait for results ({@code map}, {@code apply}, an {@code imap}'s
 * iterator, {@link #asCompleted}) suspend the calling task when called from a task of a loop (the loop
 * runs other tasks meanwhile), and block when called from a plain thread. {@link #submit} returns a
 * future that a task awaits with {@code Weft.await}. A task's failure is rethrown as it was if
 * unchecked, else wrapped in a {@code CompletionException}, with the worker-side stack trace; a
 * {@code map} that fails cancels its chunks not yet started.
 *
 * <p>Functions, jobs and items are serializable types ({@link Fn}, {@link Job}): a process pool
 * checks at submit time that they serialize, and fails at once naming what does not.
 *
 * <p>Closing: {@link #close} accepts nothing more, lets queued work finish, then ends the workers
 * (multiprocessing's {@code close} then {@code join}); {@link #terminate} ends them now and fails what
 * had not finished with a {@code CancellationException}. Both wait for the workers to end, so neither
 * may be called from the pool's own threads (a job, or a callback of a pool future): that is an
 * {@code IllegalStateException}.
 *
 * <p>Worker processes run this JVM's {@code java} with its class path (and module path), the
 * builder's {@link Builder#jvmOptions} and nothing else of the parent's command line: give them the
 * options they need there. Classes must be loadable from that path (not from a custom class loader).
 */
public interface Pool extends AutoCloseable {
    /** A pool of platform threads, one per core. */
    static Pool threads() {
        return builder().threads();
    }

    /** A pool of {@code workers} platform threads. */
    static Pool threads(int workers) {
        return builder().workers(workers).threads();
    }

    /** A pool of {@code workers} worker processes (JVMs with this application's class path). */
    static Pool processes(int workers) {
        return builder().workers(workers).processes();
    }

    static Builder builder() {
        return new Builder();
    }

    /** How many workers the pool has. */
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
        return map(fn, items, MapOptions.defaults());
    }

    /** {@link #map(Fn, Iterable)} with chunking and progress {@code options}. */
    <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options);

    /** {@code fn} applied to each pair of arguments, in order (multiprocessing's {@code starmap}). */
    default <A, B, R> List<R> starmap(Fn2<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> arguments) {
        Objects.requireNonNull(fn, "fn");
        List<Map.Entry<? extends A, ? extends B>> pairs = new ArrayList<>();
        arguments.forEach(e -> pairs.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()))); // serializable
        return map((Map.Entry<? extends A, ? extends B> e) -> fn.apply(e.getKey(), e.getValue()), pairs);
    }

    /** {@link #imap(Fn, Iterable, MapOptions)} with the default options. */
    default <T, R> Iterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, MapOptions.defaults());
    }

    /**
     * {@code fn} applied to the items lazily, in order: items are read and submitted as results are
     * consumed, at most {@code maxInFlight} chunks ahead, so an endless or huge input streams. The
     * iterator's {@code next} waits for the next result.
     */
    <T, R> Iterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options);

    /** {@link #imapUnordered(Fn, Iterable, MapOptions)} with the default options. */
    default <T, R> Iterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imapUnordered(fn, items, MapOptions.defaults());
    }

    /** As {@link #imap(Fn, Iterable, MapOptions)}, but the results come as they are done. */
    <T, R> Iterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options);

    /**
     * {@code futures} in the order they complete: the iterator's {@code next} waits for the next one
     * (concurrent.futures' {@code as_completed}).
     */
    static <R> Iterator<CompletableFuture<R>> asCompleted(Collection<? extends CompletableFuture<R>> futures) {
        return Waiting.asCompleted(futures);
    }

    /** Accepts nothing more, lets queued work finish, ends the workers; waits for all that. Idempotent. */
    @Override
    void close();

    /** Ends the workers now; work not finished fails with a {@code CancellationException}. Idempotent. */
    void terminate();

    /** The settings of a pool; {@link #threads()} and {@link #processes()} make one. */
    final class Builder {
        int workers = Runtime.getRuntime().availableProcessors();
        Job<?> initializer;
        int maxTasksPerWorker;
        int retries;
        Duration taskTimeout;
        List<String> jvmOptions = List.of();

        Builder() {}

        /** How many workers (default: the number of cores). */
        public Builder workers(int n) {
            this.workers = Args.atLeast(n, 1, "workers");
            return this;
        }

        /** Run once in each worker before its first task (a failure fails the pool's tasks). */
        public Builder initializer(Job<?> init) {
            this.initializer = Objects.requireNonNull(init, "init");
            return this;
        }

        /** Process pools: a worker is replaced by a fresh one after this many tasks (0: never). */
        public Builder maxTasksPerWorker(int n) {
            this.maxTasksPerWorker = Args.atLeast(n, 0, "maxTasksPerWorker");
            return this;
        }

        /** Process pools: a task whose worker died is run again on a fresh worker, up to n times (default 0). */
        public Builder retries(int n) {
            this.retries = Args.atLeast(n, 0, "retries");
            return this;
        }

        /**
         * Each task's time limit: its future fails with a {@code TimeoutException}; a process pool also
         * kills the worker that runs it and replaces it (a thread cannot be stopped: it runs on). Must
         * be positive (null: none).
         */
        public Builder taskTimeout(Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException("taskTimeout must be positive, got " + d);
            }
            this.taskTimeout = d;
            return this;
        }

        /** Process pools: options for the workers' JVMs, e.g. {@code -Xmx512m}. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** A pool of platform threads with work stealing (a {@code ForkJoinPool}). */
        public Pool threads() {
            return new ThreadPool(this);
        }

        /** A pool of worker processes, started in parallel, talking over their standard input and output. */
        public Pool processes() {
            return new ProcessPool(this);
        }
    }
}
