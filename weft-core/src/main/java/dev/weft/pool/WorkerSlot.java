package dev.weft.pool;

import dev.weft.internal.Frames;
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
    private volatile boolean timedOut;

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
                    runOne(w);
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
        } catch (IOException | RuntimeException e) {
            w.future.completeExceptionally(e);
            stop();
            return;
        }
        timedOut = false;
        Process p = process;
        ScheduledFuture<?> limit = pool.taskTimeout == null ? null : pool.timer.schedule(() -> {
            timedOut = true;
            p.destroyForcibly();
        }, pool.taskTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            Frames.write(toWorker, Frames.TASK, w.job);
            Frames.Frame answer = Frames.read(fromWorker);
            settle(w, answer);
        } catch (IOException e) {
            died(w);
            return;
        } finally {
            if (limit != null) {
                limit.cancel(false);
            }
        }
        if (pool.maxTasksPerWorker > 0 && ++tasksRun >= pool.maxTasksPerWorker) {
            stop(); // recycled: the next task gets a fresh worker
        }
    }

    private static void settle(ProcessPool.Work w, Frames.Frame answer) {
        try {
            Object value = ProcessPool.decode(answer.payload());
            if (answer.kind() == Frames.OK) {
                w.future.complete(value);
            } else {
                w.future.completeExceptionally((Throwable) value);
            }
        } catch (Exception e) { // a result whose class this side cannot load, say
            w.future.completeExceptionally(new IllegalStateException("the worker's answer cannot be read here", e));
        }
    }

    /** The worker died while it ran {@code w}: fail it, or put it back for a fresh worker. */
    private void died(ProcessPool.Work w) {
        Process p = process;
        int code = exitCode(p);
        List<String> lines = lastLines();
        stop();
        if (pool.terminating) {
            w.future.completeExceptionally(new CancellationException("the pool was terminated"));
        } else if (timedOut) {
            w.future.completeExceptionally(new TimeoutException("the task ran longer than " + pool.taskTimeout
                    + ": its worker was killed and replaced"));
        } else if (w.attempts < pool.retries) {
            w.attempts++;
            pool.queue.addFirst(w);
        } else {
            w.future.completeExceptionally(new WorkerDiedException("worker " + number + " (pid " + p.pid() + ")",
                    code, lines));
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
        tasksRun = 0;
        toWorker = new DataOutputStream(new BufferedOutputStream(p.getOutputStream()));
        fromWorker = new DataInputStream(new BufferedInputStream(p.getInputStream()));
        errors = Thread.ofPlatform().daemon().name("weft-pool-worker-" + number + "-stderr").start(() -> drainErrors(p));
        Frames.write(toWorker, Frames.INIT, pool.initializer);
        Frames.Frame answer;
        try {
            answer = Frames.read(fromWorker);
        } catch (IOException e) {
            int code = exitCode(p);
            throw new IOException("worker " + number + " died as it started (exit code " + code + "): "
                    + String.join("\n  ", lastLines()), e);
        }
        if (answer.kind() != Frames.READY) {
            Throwable cause;
            try {
                cause = (Throwable) ProcessPool.decode(answer.payload());
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
                System.err.println("[weft worker " + number + "] " + line);
                synchronized (lastLines) {
                    if (lastLines.size() == STDERR_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            }
        } catch (IOException e) {
            // the worker is gone
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

    void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
