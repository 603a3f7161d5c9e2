package dev.weft.pool;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;

/** {@link Pool#threads}: a {@code ForkJoinPool} of platform threads (work stealing, all cores). */
final class ThreadPool extends AbstractPool {
    private final ForkJoinPool pool;
    private final Duration taskTimeout;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** What the initializer threw in a worker, or null: then every task fails with it. */
    private volatile Throwable initFailure;

    ThreadPool(Pool.Builder b) {
        super(b.workers);
        this.taskTimeout = b.taskTimeout;
        Job<?> init = b.initializer;
        // no extra threads when a job blocks (saturate), and no retiring of idle ones: the initializer
        // runs once in each of the n threads
        this.pool = new ForkJoinPool(b.workers, p -> new Worker(p, init), null, false, b.workers, b.workers, 1,
                p -> true, 365, TimeUnit.DAYS);
    }

    /** A worker thread that runs the pool's initializer first. */
    private final class Worker extends ForkJoinWorkerThread {
        private final Job<?> init;

        Worker(ForkJoinPool p, Job<?> init) {
            super(null, p, true);
            this.init = init;
        }

        @Override
        protected void onStart() {
            super.onStart();
            setName("weft-pool-worker-" + getPoolIndex());
            if (init != null) {
                try {
                    init.call();
                } catch (Throwable t) {
                    initFailure = t;
                }
            }
        }
    }

    @Override
    public <R> CompletableFuture<R> submit(Job<R> job) {
        java.util.Objects.requireNonNull(job, "job");
        if (closed) {
            throw new IllegalStateException("the pool is closed: it accepts no more work");
        }
        CompletableFuture<R> f = new CompletableFuture<>();
        pending.add(f);
        f.whenComplete((v, e) -> pending.remove(f));
        try {
            pool.execute(() -> run(job, f));
        } catch (java.util.concurrent.RejectedExecutionException e) { // closed meanwhile
            pending.remove(f);
            throw new IllegalStateException("the pool is closed: it accepts no more work", e);
        }
        return f;
    }

    private <R> void run(Job<R> job, CompletableFuture<R> f) {
        if (f.isDone()) {
            return; // cancelled or terminated before it started
        }
        Throwable init = initFailure;
        if (init != null) {
            f.completeExceptionally(new IllegalStateException("the pool's initializer failed", init));
            return;
        }
        if (taskTimeout != null) { // from its start, as on a process pool
            f.orTimeout(taskTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        try {
            f.complete(job.call());
        } catch (Throwable t) {
            f.completeExceptionally(t);
        }
    }

    @Override
    public void close() {
        checkNotOwnThread();
        closed = true;
        pool.shutdown();
        awaitEnd();
    }

    private void checkNotOwnThread() {
        if (Thread.currentThread() instanceof Worker w && w.getPool() == pool) {
            throw new IllegalStateException("a pool cannot be closed from one of its own threads (a job, or a callback"
                    + " of one of its futures, runs there): it would wait for itself; close it from elsewhere");
        }
    }

    private void awaitEnd() {
        Waiting.onThread(() -> {
            try {
                while (!pool.awaitTermination(1, TimeUnit.DAYS)) {
                    // waits for the queued work
                }
            } catch (InterruptedException e) {
                // the pool ends anyway
            }
        });
    }

    @Override
    public void terminate() {
        checkNotOwnThread();
        closed = true;
        pending.forEach(f -> f.completeExceptionally(new CancellationException("the pool was terminated")));
        pool.shutdownNow(); // interrupts the running tasks, whose futures have failed already
        awaitEnd();
    }

    @Override
    public String toString() {
        return "thread pool of " + workers() + " workers";
    }
}
