package dev.weft.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One worker of a {@link ProcessPool} and the platform thread that drives it: takes work from the
 * pool's queue, sends it, waits for the answer. When the worker dies (exit, crash, kill, a task over
 * its time limit), the task it ran fails with how it died (or goes back to the queue, if retries are
 * left), and the next task gets a fresh worker.
 *
 * <p>What a worker writes on its standard error (a task's {@code System.out} and {@code System.err}
 * among it), and stray output on its standard output, is relayed line by line to the
 * {@code System.Logger} "dev.weft.pool" at INFO, and its last lines are kept for the exception that
 * tells of its death.
 */
final class WorkerSlot {
    private static final int STDERR_LINES = 20;
    private static final System.Logger LOG = System.getLogger("dev.weft.pool");
    /**
     * How long the reader of a dead worker's stderr may take to read what is left: it ends at once,
     * unless a process the worker started still holds the pipe open.
     */
    private static final long DRAIN_MILLIS = 10_000;
    /** How long a worker whose pipe broke as it started may take to exit by itself, before it is killed. */
    private static final long EXIT_WAIT_MILLIS = 1_000;

    private final ProcessPool pool;
    private final int number;
    private final Thread thread;
    /** The worker, or null between one that ended and the next one's start. */
    private volatile @Nullable Worker worker;
    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private int tasksRun;
    /** How many workers have started in this place (the first is started, the next ones replace it). */
    private int starts;
    /** The run whose time limit is running (guarded by this), or null. */
    private @Nullable Object current;
    private boolean timedOut;
    /** A line of stray output from the worker's stdout, being read. */
    private final ByteArrayOutputStream strayLine = new ByteArrayOutputStream();

    /** A started worker process, its pipes and the thread that reads its stderr. */
    private record Worker(Process process, DataOutputStream to, DataInputStream from, Thread errors) {}

    WorkerSlot(ProcessPool pool, int number) {
        this.pool = pool;
        this.number = number;
        this.thread = Thread.ofPlatform().daemon().name("weft-pool-worker-" + number).start(this::run);
    }

    private void run() {
        try {
            start(); // at once, so that the workers start in parallel
        } catch (IOException | RuntimeException e) {
            notStarted(e); // tried again for the first task, which fails if it cannot start either
        }
        try {
            for (;;) {
                Work w = pool.queue.take();
                if (w == ProcessPool.POISON) {
                    return;
                }
                if (!w.future.isDone()) {
                    try {
                        runOne(w);
                    } catch (Throwable t) { // never leave the queue unserved
                        pool.events.failed(w.seen, number, t); // a listener that saw it start sees it end
                        w.future.completeExceptionally(t);
                        stop();
                    }
                }
            }
        } catch (InterruptedException e) {
            // terminated
        } finally {
            stop();
        }
    }

    private void runOne(Work w) {
        Worker p = worker;
        try {
            if (p == null) {
                p = start();
            }
        } catch (Throwable e) { // it could not start: the task is retried if it may be, else fails
            notStarted(e);
            if (!pool.again(w, false)) {
                w.future.completeExceptionally(e);
            }
            return;
        }
        pool.events.started(w.seen, number);
        ScheduledFuture<?> limit = beginRun(p.process());
        Frames.Frame answer;
        try {
            Frames.write(p.to(), Frames.TASK, w.job);
            answer = Frames.read(p.from(), this::stray);
        } catch (IOException | RuntimeException | Error e) { // gone, or an answer that is not the protocol
            endRun(limit);
            died(p, w, e);
            return;
        }
        boolean expired = endRun(limit);
        settle(w, answer);
        if (expired || (pool.maxTasksPerWorker > 0 && ++tasksRun >= pool.maxTasksPerWorker)) {
            stop(); // killed by its time limit just as it answered, or recycled: the next task gets a fresh worker
        }
    }

    /** Starts a run of worker {@code p} (a task, or its initializer) and its time limit, if the pool has one. */
    private @Nullable ScheduledFuture<?> beginRun(Process p) {
        Object run = new Object();
        synchronized (this) {
            current = run;
            timedOut = false;
        }
        TaskTimer timer = pool.timer;
        return timer == null ? null : timer.start(() -> expire(run, p));
    }

    /** The time limit of {@code run} is up: kill its worker, unless the run has ended meanwhile. */
    private synchronized void expire(Object run, Process p) {
        if (current == run) {
            timedOut = true;
            p.destroyForcibly();
        }
    }

    /** Ends the current run's time limit; returns whether it had expired. */
    private synchronized boolean endRun(@Nullable ScheduledFuture<?> limit) {
        current = null;
        if (limit != null) {
            limit.cancel(false);
        }
        return timedOut;
    }

    /** Completes {@code w}'s future with the worker's answer; the listeners are told first, so its waiter sees them. */
    private void settle(Work w, Frames.Frame answer) {
        Throwable failure;
        try {
            Object value = Frames.deserialize(answer.payload());
            if (answer.kind() == Frames.OK) {
                pool.events.finished(w.seen, number);
                w.future.complete(value);
                return;
            }
            failure = (Throwable) Objects.requireNonNull(value, "a failure");
        } catch (Throwable e) { // a class this side cannot load or initialize, say
            failure = new IllegalStateException("the worker's answer cannot be read here", e);
        }
        pool.events.failed(w.seen, number, failure);
        w.future.completeExceptionally(failure);
    }

    /**
     * Worker {@code p} died (or broke the protocol) while it ran {@code w}: fail it, or put it back for
     * a fresh worker (split, if it is a chunk).
     */
    private void died(Worker p, Work w, Throwable why) {
        p.process().destroyForcibly(); // if it still runs: an answer that is not the protocol
        int code = exitCode(p.process());
        List<String> lines = lastLines(p);
        stop();
        boolean expired;
        synchronized (this) {
            expired = timedOut;
        }
        RuntimeException failure;
        if (expired) {
            failure = Objects.requireNonNull(pool.timer).exceeded("the task", ": its worker was killed and replaced");
        } else {
            failure = new WorkerDiedException("worker " + number + " (pid " + p.process().pid() + ")", code, lines);
            if (!(why instanceof EOFException)) {
                failure.addSuppressed(why); // not simply gone: what broke the exchange
            }
        }
        pool.events.workerDied(number, String.valueOf(failure.getMessage()));
        pool.events.failed(w.seen, number, failure);
        if (expired || !pool.again(w, true)) {
            w.future.completeExceptionally(failure);
        }
    }

    /** A worker could not start (or its initializer failed): tell the listeners, end what is left of it. */
    private void notStarted(Throwable e) {
        pool.events.workerDied(number, "could not start: " + e.getMessage());
        stop();
    }

    private static boolean exitedWithin(Process p, long millis) {
        try {
            return p.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int exitCode(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Starts a worker process and runs the pool's initializer in it. */
    private Worker start() throws IOException {
        synchronized (lastLines) {
            lastLines.clear();
        }
        Process process = new ProcessBuilder(pool.command).start();
        Worker p = new Worker(process, new DataOutputStream(new BufferedOutputStream(process.getOutputStream())),
                new DataInputStream(new BufferedInputStream(process.getInputStream())),
                Thread.ofPlatform().daemon().name("weft-pool-worker-" + number + "-stderr").start(() -> drainErrors(process)));
        worker = p;
        if (pool.terminating()) { // terminate looked for a worker to kill before this one existed
            process.destroyForcibly();
        }
        tasksRun = 0;
        ScheduledFuture<?> limit = null;
        Frames.Frame answer;
        try {
            Frames.write(p.to(), Frames.INIT, pool.initializer);
            Frames.Frame started = Frames.read(p.from(), this::stray);
            if (started.kind() != Frames.STARTED) {
                throw new IOException("not the protocol: a frame of kind " + started.kind() + " before the start");
            }
            limit = beginRun(process); // the initializer has the tasks' time limit, from its start (not the JVM's)
            answer = Frames.read(p.from(), this::stray);
        } catch (IOException e) {
            boolean expired = limit != null && endRun(limit);
            // a worker that died by itself has its stderr read before destroying closes the pipe under the reader
            List<String> said = exitedWithin(process, EXIT_WAIT_MILLIS) ? lastLines(p) : null;
            process.destroyForcibly();
            int code = exitCode(process);
            String lines = String.join("\n  ", said != null ? said : lastLines(p));
            if (expired) {
                throw Objects.requireNonNull(pool.timer).exceeded("the initializer of worker " + number,
                        ": the worker was killed; its last lines on stderr:\n  " + lines);
            }
            throw new IOException("worker " + number + " died as it started (exit code " + code + "): " + lines, e);
        }
        endRun(limit);
        if (answer.kind() != Frames.READY) {
            Throwable cause;
            try {
                cause = (Throwable) Frames.deserialize(answer.payload());
            } catch (Exception e) {
                cause = e;
            }
            throw new IllegalStateException("the pool's initializer failed in worker " + number, cause);
        }
        if (starts++ == 0) {
            pool.events.workerStarted(number);
        } else {
            pool.events.workerReplaced(number);
        }
        return p;
    }

    /** Relays what the worker writes on stderr, and keeps its last lines. */
    private void drainErrors(Process p) {
        try (BufferedReader r = p.errorReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null;) {
                output(line);
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }

    /** A byte of the worker's stdout that is not the protocol (JVM logging, native code): relayed as stderr's. */
    private void stray(int b) {
        if (b == '\n') {
            output(strayLine.toString(StandardCharsets.UTF_8));
            strayLine.reset();
        } else if (strayLine.size() < 8192) {
            strayLine.write(b);
        }
    }

    private void output(String line) {
        LOG.log(Level.INFO, "worker {0}: {1}", number, line);
        synchronized (lastLines) {
            if (lastLines.size() == STDERR_LINES) {
                lastLines.removeFirst();
            }
            lastLines.addLast(line);
        }
    }

    /** The last lines of the stderr of worker {@code p}, once it has ended (and its reader has read them all). */
    private List<String> lastLines(Worker p) {
        awaitReader(p);
        synchronized (lastLines) {
            return new ArrayList<>(lastLines);
        }
    }

    /** Waits until the reader of the ended worker {@code p}'s stderr has relayed all of it. */
    private static void awaitReader(Worker p) {
        try {
            p.errors().join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the worker: asks it to exit, kills it if it does not, and waits until its stderr is relayed. */
    private void stop() {
        Worker p = worker;
        worker = null;
        if (p == null) {
            return;
        }
        try {
            if (p.process().isAlive()) {
                Frames.write(p.to(), Frames.EXIT, new byte[0]);
            }
        } catch (IOException e) {
            // already gone
        }
        boolean interrupted = false;
        for (;;) { // until it has ended and been reaped, even if this thread is interrupted (terminate)
            try {
                if (p.process().waitFor(5, TimeUnit.SECONDS)) {
                    break;
                }
                p.process().destroyForcibly();
            } catch (InterruptedException e) {
                interrupted = true;
                p.process().destroyForcibly();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        } else {
            awaitReader(p);
        }
    }

    /** Kills the worker now (terminate); the thread then sees the death and ends. */
    void kill() {
        Worker p = worker;
        if (p != null) {
            p.process().destroyForcibly();
        }
        thread.interrupt();
    }

    boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
