package dev.weft.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker of a {@link ProcessPool} and the platform thread that drives it: takes work from the
 * pool's queue, sends it, waits for the answer. When the worker dies (exit, crash, kill, a task over
 * its time limit), the task it ran fails with how it died (or goes back to the queue, if retries are
 * left), and the next task gets a fresh worker.
 */
final class WorkerSlot {
    private static final int STDERR_LINES = 20;

    private final ProcessPool pool;
    private final int number;
    private final Thread thread;
    private volatile Process process;
    private DataOutputStream toWorker;
    private DataInputStream fromWorker;
    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private Thread errors;
    private int tasksRun;
    /** The run whose time limit is running (guarded by this), or null. */
    private Object current;
    private boolean timedOut;
    /** A line of stray output from the worker's stdout, being read. */
    private final java.io.ByteArrayOutputStream strayLine = new java.io.ByteArrayOutputStream();

    WorkerSlot(ProcessPool pool, int number) {
        this.pool = pool;
        this.number = number;
        this.thread = Thread.ofPlatform().daemon().name("weft-pool-worker-" + number).start(this::run);
    }

    private void run() {
        try {
            start(); // at once, so that the workers start in parallel
        } catch (IOException | RuntimeException e) {
            stop(); // tried again for the first task, which fails if it cannot start either
        }
        try {
            for (;;) {
                ProcessPool.Work w = pool.queue.take();
                if (w == ProcessPool.POISON) {
                    return;
                }
                if (!w.future.isDone()) {
                    try {
                        runOne(w);
                    } catch (Throwable t) { // never leave the queue unserved
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

    private void runOne(ProcessPool.Work w) {
        try {
            if (process == null) {
                start();
            }
        } catch (Throwable e) { // it could not start: the task is retried if it may be, else fails
            stop();
            if (!pool.retry(w)) {
                w.future.completeExceptionally(e);
            }
            return;
        }
        ScheduledFuture<?> limit = beginRun(process);
        Frames.Frame answer;
        try {
            Frames.write(toWorker, Frames.TASK, w.job);
            answer = Frames.read(fromWorker, this::stray);
        } catch (IOException | RuntimeException | Error e) { // gone, or an answer that is not the protocol
            endRun(limit);
            died(w, e);
            return;
        }
        boolean expired = endRun(limit);
        settle(w, answer);
        if (expired || (pool.maxTasksPerWorker > 0 && ++tasksRun >= pool.maxTasksPerWorker)) {
            stop(); // killed by its time limit just as it answered, or recycled: the next task gets a fresh worker
        }
    }

    /** Starts a run of worker {@code p} (a task, or its initializer) and its time limit, if the pool has one. */
    private ScheduledFuture<?> beginRun(Process p) {
        Object run = new Object();
        synchronized (this) {
            current = run;
            timedOut = false;
        }
        return pool.taskTimeout == null ? null
                : pool.timer.schedule(() -> expire(run, p), pool.taskTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The time limit of {@code run} is up: kill its worker, unless the run has ended meanwhile. */
    private synchronized void expire(Object run, Process p) {
        if (current == run) {
            timedOut = true;
            p.destroyForcibly();
        }
    }

    /** Ends the current run's time limit; returns whether it had expired. */
    private synchronized boolean endRun(ScheduledFuture<?> limit) {
        current = null;
        if (limit != null) {
            limit.cancel(false);
        }
        return timedOut;
    }

    private static void settle(ProcessPool.Work w, Frames.Frame answer) {
        try {
            Object value = Frames.deserialize(answer.payload());
            if (answer.kind() == Frames.OK) {
                w.future.complete(value);
            } else {
                w.future.completeExceptionally((Throwable) value);
            }
        } catch (Throwable e) { // a class this side cannot load or initialize, say
            w.future.completeExceptionally(new IllegalStateException("the worker's answer cannot be read here", e));
        }
    }

    /** The worker died (or broke the protocol) while it ran {@code w}: fail it, or put it back for a fresh worker. */
    private void died(ProcessPool.Work w, Throwable why) {
        Process p = process;
        p.destroyForcibly(); // if it still runs: an answer that is not the protocol
        int code = exitCode(p);
        List<String> lines = lastLines();
        stop();
        boolean expired;
        synchronized (this) {
            expired = timedOut;
        }
        if (expired) {
            w.future.completeExceptionally(new TimeoutException("the task ran longer than " + pool.taskTimeout
                    + ": its worker was killed and replaced"));
        } else if (!pool.retry(w)) {
            WorkerDiedException e = new WorkerDiedException("worker " + number + " (pid " + p.pid() + ")", code, lines);
            if (!(why instanceof java.io.EOFException)) {
                e.addSuppressed(why); // not simply gone: what broke the exchange
            }
            w.future.completeExceptionally(e);
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
    private void start() throws IOException {
        synchronized (lastLines) {
            lastLines.clear();
        }
        Process p = new ProcessBuilder(pool.command).start();
        process = p;
        if (pool.terminating()) { // terminate looked for a worker to kill before this one existed
            p.destroyForcibly();
        }
        tasksRun = 0;
        toWorker = new DataOutputStream(new BufferedOutputStream(p.getOutputStream()));
        fromWorker = new DataInputStream(new BufferedInputStream(p.getInputStream()));
        errors = Thread.ofPlatform().daemon().name("weft-pool-worker-" + number + "-stderr").start(() -> drainErrors(p));
        ScheduledFuture<?> limit = beginRun(p); // the initializer has the tasks' time limit too
        Frames.Frame answer;
        try {
            Frames.write(toWorker, Frames.INIT, pool.initializer);
            answer = Frames.read(fromWorker, this::stray);
        } catch (IOException e) {
            boolean expired = endRun(limit);
            p.destroyForcibly();
            int code = exitCode(p);
            throw new IOException("worker " + number + (expired ? " was killed: its initializer ran longer than "
                    + pool.taskTimeout : " died as it started (exit code " + code + ")") + ": "
                    + String.join("\n  ", lastLines()), e);
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
    }

    /** Copies what the worker writes on stderr to this process's, and keeps its last lines. */
    private void drainErrors(Process p) {
        try (BufferedReader r = p.errorReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null;) {
                output(line);
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }

    /** A byte of the worker's stdout that is not the protocol (JVM logging, native code): output as stderr's. */
    private void stray(int b) {
        if (b == '\n') {
            output(strayLine.toString(StandardCharsets.UTF_8));
            strayLine.reset();
        } else if (strayLine.size() < 8192) {
            strayLine.write(b);
        }
    }

    private void output(String line) {
        System.err.println("[weft worker " + number + "] " + line);
        synchronized (lastLines) {
            if (lastLines.size() == STDERR_LINES) {
                lastLines.removeFirst();
            }
            lastLines.addLast(line);
        }
    }

    /** The last lines of the worker's stderr, once it has ended (its reader has read them all). */
    private List<String> lastLines() {
        try {
            errors.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lastLines) {
            return new ArrayList<>(lastLines);
        }
    }

    /** Ends the worker: asks it to exit, kills it if it does not. */
    private void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        try {
            if (p.isAlive()) {
                Frames.write(toWorker, Frames.EXIT, new byte[0]);
            }
        } catch (IOException e) {
            // already gone
        }
        boolean interrupted = false;
        for (;;) { // until it has ended and been reaped, even if this thread is interrupted (terminate)
            try {
                if (p.waitFor(5, TimeUnit.SECONDS)) {
                    break;
                }
                p.destroyForcibly();
            } catch (InterruptedException e) {
                interrupted = true;
                p.destroyForcibly();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the worker now (terminate); the thread then sees the death and ends. */
    void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
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
