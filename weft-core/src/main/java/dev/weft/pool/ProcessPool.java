package dev.weft.pool;

import dev.weft.internal.OpenLang;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import org.jspecify.annotations.Nullable;

/**
 * {@link Pool#processes}: worker JVMs started with this application's class path, each driven by a
 * platform thread of its own ({@link WorkerSlot}) that takes work from one shared queue.
 */
final class ProcessPool extends AbstractPool {
    /** The end of the queue for one slot. */
    static final Work POISON = new Work(new byte[0], new CompletableFuture<>(), null, new PoolListener.Work(0, "end", 0));

    final LinkedBlockingDeque<Work> queue = new LinkedBlockingDeque<>();
    final byte[] initializer;
    final int maxTasksPerWorker;
    final int retries;
    final @Nullable TaskTimer timer;
    final List<String> command;
    private final List<WorkerSlot> slots = new ArrayList<>();
    private final Object lifecycle = new Object();
    private boolean closed;
    /** Set by {@link #terminate}: the work its killed workers were running is cancelled, not retried. */
    private volatile boolean terminating; // written under lifecycle

    ProcessPool(Pool.ProcessesBuilder b) {
        super(b, sized("processes", b));
        this.initializer = b.initializer == null ? new byte[0] : Serialization.of(b.initializer, "the initializer");
        this.maxTasksPerWorker = b.maxTasksPerWorker;
        this.retries = b.retries;
        this.timer = b.taskTimeout == null ? null : new TaskTimer(b.taskTimeout);
        this.command = command(b.jvmOptions);
        for (int i = 0; i < b.workers; i++) {
            slots.add(new WorkerSlot(this, i + 1)); // each starts its worker at once: they start in parallel
        }
    }

    /** The command of a worker: this JVM's java, the application's class (or module) path, the worker's main class. */
    private static List<String> command(List<String> jvmOptions) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.add("--add-opens"); // the worker's loops get carriers of their own, as the parent's (decision 0030)
        c.add(OpenLang.VALUE);
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
        Objects.requireNonNull(job, "job");
        CompletableFuture<Object> f = new PoolFuture<>();
        enqueue(List.of(work(job, f)));
        return (CompletableFuture<R>) f;
    }

    /** Queues {@code work} after what is queued, unless the pool is closed. */
    private void enqueue(List<Work> work) {
        synchronized (lifecycle) { // not between a close's stop markers or a terminate's draining and the queue
            if (closed) {
                throw new IllegalStateException("the pool is closed: it accepts no more work");
            }
            work.forEach(w -> events.queued(w.seen));
            queue.addAll(work);
        }
    }

    boolean terminating() {
        return terminating;
    }

    /**
     * Puts back {@code w}, whose worker died ({@code split}) or could not start, for a fresh worker:
     * false if it has no retry left, then it is the caller's to fail. With retries, a chunk of several
     * items whose worker died is split in two halves, each queued first (free: the budget counts the
     * deaths of single items and jobs only); so work that can finish does, and an item that kills its
     * worker every time fails after {@code retries} more attempts. While the pool terminates, {@code w}
     * is cancelled instead.
     */
    boolean again(Work w, boolean split) {
        List<Work> pieces = terminating ? List.of(w) : retry(w, split, retries);
        synchronized (lifecycle) {
            if (terminating) {
                w.future.completeExceptionally(cancelled("the pool was terminated"));
                return true;
            }
            if (pieces.isEmpty()) {
                return false;
            }
            pieces.forEach(p -> events.queued(p.seen));
            pieces.reversed().forEach(queue::addFirst); // before the rest: the oldest work first
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
        dropped.forEach(w -> w.future.completeExceptionally(cancelled("the pool was terminated")));
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
            if (timer != null) {
                timer.shutdown();
            }
        });
        events.ended();
        for (Work w; (w = queue.poll()) != null;) { // nothing should be left; if something is, it must not wait for ever
            w.future.completeExceptionally(cancelled("the pool was closed"));
        }
    }

    @Override
    public String toString() {
        return "process pool of " + workers() + " workers";
    }
}
