package dev.weft.pool;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** {@link Pool#threads}: a {@code ForkJoinPool} of platform threads (work stealing, all cores). */
final class ThreadPool extends AbstractPool {
    private final ForkJoinPool pool;
    private final @Nullable TaskTimer timer;
    /** The futures not yet completed: terminate fails them (a future's equality is its identity). */
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** What the initializer threw in a worker, or null: then every task fails with it. */
    private volatile @Nullable Throwable initFailure;
    /** The number of the last worker created (the pool creates one per worker, and keeps them). */
    private final AtomicInteger numbers = new AtomicInteger();

    ThreadPool(Pool.ThreadsBuilder b) {
        super(b, sized("threads", b));
        this.timer = b.taskTimeout == null ? null : new TaskTimer(b.taskTimeout);
        Job<?> init = b.initializer;
        // no extra threads when a job blocks (saturate), and no retiring of idle ones: the initializer
        // runs once in each of the n threads
        this.pool = new ForkJoinPool(b.workers, p -> new Worker(p, init), null, false, b.workers, b.workers, 1,
                p -> true, 365, TimeUnit.DAYS);
    }

    /** A worker thread, numbered from 1 in order of creation, that runs the pool's initializer first. */
    private final class Worker extends ForkJoinWorkerThread {
        private final @Nullable Job<?> init;
        final int number = numbers.incrementAndGet();

        Worker(ForkJoinPool p, @Nullable Job<?> init) {
            super(null, p, true);
            this.init = init;
        }

        @Override
        protected void onStart() {
            super.onStart();
            setName("weft-pool-worker-" + number);
            events.workerStarted(number);
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
        Objects.requireNonNull(job, "job");
        if (closed) {
            throw new IllegalStateException("the pool is closed: it accepts no more work");
        }
        CompletableFuture<R> f = new PoolFuture<>();
        pending.add(f);
        var _ = f.whenComplete((v, e) -> forget(f));
        PoolListener.Work w = events.work(job);
        events.queued(w);
        try {
            pool.execute(() -> run(job, w, f));
        } catch (RejectedExecutionException e) { // closed meanwhile
            forget(f);
            throw new IllegalStateException("the pool is closed: it accepts no more work", e);
        }
        return f;
    }

    @SuppressWarnings("UndefinedEquals") // CompletableFuture's equals is Object's: the future itself is meant
    private void forget(CompletableFuture<?> f) {
        pending.remove(f);
    }

    private <R> void run(Job<R> job, PoolListener.Work w, CompletableFuture<R> f) {
        if (f.isDone()) {
            return; // cancelled or terminated before it started
        }
        Throwable init = initFailure;
        if (init != null) {
            f.completeExceptionally(new IllegalStateException("the pool's initializer failed", init));
            return;
        }
        TaskTimer t = timer;
        if (t != null) { // from its start, as on a process pool
            ScheduledFuture<?> limit = t.start(() -> f.completeExceptionally(
                    t.exceeded("a task", ": its future failed, its thread runs on (a thread cannot be stopped)")));
            var _ = f.whenComplete((v, e) -> limit.cancel(false));
        }
        int worker = ((Worker) Thread.currentThread()).number; // the pool runs its work on its workers
        events.started(w, worker);
        R value;
        try {
            value = job.call();
        } catch (Throwable e) {
            events.failed(w, worker, e); // told before the future completes: its waiter sees the events
            f.completeExceptionally(e);
            return;
        }
        events.finished(w, worker);
        f.complete(value);
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
            if (timer != null) {
                timer.shutdown();
            }
        });
        events.ended();
    }

    @Override
    public void terminate() {
        checkNotOwnThread();
        closed = true;
        pending.forEach(f -> f.completeExceptionally(cancelled("the pool was terminated")));
        pool.shutdownNow(); // interrupts the running tasks, whose futures have failed already
        awaitEnd();
    }

    @Override
    public String toString() {
        return "thread pool of " + workers() + " workers";
    }
}
