package dev.weft.pool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * {@link Pool#processes}: worker JVMs started with this application's class path, each driven by a
 * platform thread of its own ({@link WorkerSlot}) that takes work from one shared queue.
 */
final class ProcessPool extends AbstractPool {
    /** The end of the queue for one slot. */
    static final Work POISON = new Work(new byte[0], new CompletableFuture<>());

    final LinkedBlockingDeque<Work> queue = new LinkedBlockingDeque<>();
    final byte[] initializer;
    final int maxTasksPerWorker;
    final int retries;
    final Duration taskTimeout;
    final List<String> command;
    final ScheduledExecutorService timer;
    private final List<WorkerSlot> slots = new ArrayList<>();
    private final Object lifecycle = new Object();
    private boolean closed;
    /** Set by {@link #terminate}: the work its killed workers were running is cancelled, not retried. */
    private volatile boolean terminating; // written under lifecycle

    /** A job waiting for (or run by) a worker; {@code attempts} counts its runs that a dying worker ended. */
    static final class Work {
        final byte[] job;
        final CompletableFuture<Object> future;
        int attempts;

        Work(byte[] job, CompletableFuture<Object> future) {
            this.job = job;
            this.future = future;
        }
    }

    ProcessPool(Pool.Builder b) {
        super(b.workers);
        this.initializer = b.initializer == null ? new byte[0] : Serialization.of(b.initializer, "the initializer");
        this.maxTasksPerWorker = b.maxTasksPerWorker;
        this.retries = b.retries;
        this.taskTimeout = b.taskTimeout;
        this.command = command(b.jvmOptions);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r ->
                Thread.ofPlatform().daemon().name("weft-pool-timeouts").unstarted(r));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        for (int i = 0; i < b.workers; i++) {
            slots.add(new WorkerSlot(this, i + 1)); // each starts its worker at once: they start in parallel
        }
    }

    /** The command of a worker: this JVM's java, the application's class (or module) path, the worker's main class. */
    private static List<String> command(List<String> jvmOptions) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.add("-XX:+ExitOnOutOfMemoryError"); // a worker out of memory dies at once, as a crash
        c.add("-XX:+DisplayVMOutputToStderr"); // standard output carries the protocol
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        String modulePath = System.getProperty("jdk.module.path");
        if (Pool.class.getModule().isNamed() && modulePath != null) {
            c.add("--module-path");
            c.add(modulePath);
            c.add("--add-modules");
            c.add("ALL-MODULE-PATH");
            c.add("-m");
            c.add("dev.weft/dev.weft.pool.PoolWorker");
        } else {
            c.add("dev.weft.pool.PoolWorker");
        }
        return List.copyOf(c);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> submit(Job<R> job) {
        java.util.Objects.requireNonNull(job, "job");
        CompletableFuture<Object> f = new CompletableFuture<>();
        Work w = new Work(Serialization.of(job, job instanceof Chunk ? "a map's function or items" : "the job"), f);
        synchronized (lifecycle) { // not between a close's stop markers or a terminate's draining and the queue
            if (closed) {
                throw new IllegalStateException("the pool is closed: it accepts no more work");
            }
            queue.add(w);
        }
        return (CompletableFuture<R>) f;
    }

    boolean terminating() {
        return terminating;
    }

    /** Puts back work whose worker died, if it has retries left and the pool is not terminating. */
    boolean retry(Work w) {
        synchronized (lifecycle) {
            if (terminating) {
                w.future.completeExceptionally(new CancellationException("the pool was terminated"));
                return true;
            }
            if (w.attempts >= retries) {
                return false;
            }
            w.attempts++;
            queue.addFirst(w);
            return true;
        }
    }

    @Override
    public void close() {
        checkNotOwnThread();
        synchronized (lifecycle) {
            if (!closed) {
                closed = true;
                slots.forEach(s -> queue.add(POISON)); // after the queued work
            }
        }
        awaitSlots();
    }

    @Override
    public void terminate() {
        checkNotOwnThread();
        List<Work> dropped = new ArrayList<>();
        synchronized (lifecycle) {
            closed = true;
            terminating = true;
            queue.drainTo(dropped);
            slots.forEach(s -> queue.add(POISON));
        }
        dropped.forEach(w -> w.future.completeExceptionally(new CancellationException("the pool was terminated")));
        slots.forEach(WorkerSlot::kill);
        awaitSlots();
    }

    private void checkNotOwnThread() {
        if (slots.stream().anyMatch(WorkerSlot::isCurrentThread)) {
            throw new IllegalStateException("a pool cannot be closed from one of its own threads (a callback of one"
                    + " of its futures runs there): it would wait for itself; close it from elsewhere");
        }
    }

    private void awaitSlots() {
        Waiting.onThread(() -> {
            slots.forEach(WorkerSlot::join);
            timer.shutdownNow();
        });
        for (Work w; (w = queue.poll()) != null;) { // nothing should be left; if something is, it must not wait for ever
            w.future.completeExceptionally(new CancellationException("the pool was closed"));
        }
    }

    @Override
    public String toString() {
        return "process pool of " + workers() + " workers";
    }
}
