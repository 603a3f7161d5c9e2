package dev.weft.pool;

import java.util.Objects;

/**
 * Sees what a pool does: work queued, started on a worker, finished or failed; workers started, died
 * and replaced. Give one to {@link Pool.Builder#listener}; the pool's tracks in a
 * {@link dev.weft.trace.Recorder} are drawn by one.
 *
 * <p>Work is what the pool ships to a worker in one piece: a job of {@link Pool#submit} (or
 * {@code apply}), or a chunk of a map's items ({@link Work#size()} items, run one after the other by
 * the worker): a map is seen chunk by chunk, not item by item.
 *
 * <p>Calls come from the pool's threads: from the thread that submits ({@link #queued}) and from the
 * threads that drive the workers, several at once, so an implementation must be thread-safe. The
 * {@link #started} of a piece of work and its {@link #finished} or {@link #failed} come from the same
 * thread. Calls must be fast and must not block (they hold up the pool); they must not throw: a
 * listener that throws is reported (to the {@code System.Logger} "dev.weft.pool") and then ignored by
 * that pool. A process pool's times are its own: work starts when it is sent to the worker process and
 * ends when the answer is read back.
 *
 * <p>Every method does nothing by default.
 */
public interface PoolListener {
    /**
     * A piece of work shipped to a worker.
     *
     * @param id the work's number within its pool, from 1 in order of submission (a retry keeps it)
     * @param name what it runs, for people: the job's class, or for a map's chunk its function's class and
     *     {@code " x "} its size
     * @param size how many items: a chunk's, or 1 for a job
     */
    record Work(long id, String name, int size) {
        /** Checks the arguments. */
        public Work {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code work} joined the pool's queue (again, after a worker died running it, if it may be retried). */
    default void queued(Work work) {}

    /** Worker {@code worker} (numbered from 1) began to run {@code work}. */
    default void started(Work work, int worker) {}

    /** Worker {@code worker} finished {@code work}: it returned a result. */
    default void finished(Work work, int worker) {}

    /**
     * Worker {@code worker} ran {@code work}, which failed with {@code failure}: it threw, ran over
     * its time limit, or its worker died (then it may be queued again, or split in two new pieces).
     */
    default void failed(Work work, int worker, Throwable failure) {}

    /** Worker {@code worker} started, the first in its place (its process or thread is ready for work). */
    default void workerStarted(int worker) {}

    /** Worker {@code worker} died; {@code cause} says how, for people (an exit code, a time limit). */
    default void workerDied(int worker, String cause) {}

    /**
     * A fresh worker started in the place of worker {@code worker}, which died or ran its maximum of
     * tasks; it keeps the number. Called instead of {@link #workerStarted}.
     */
    default void workerReplaced(int worker) {}
}
