package dev.weft;

import java.util.Optional;


/**
 * Sees every transition of every task of a loop: the one mechanism under tracing, the stall
 * watchdog, the busy meter and the advisor.
 *
 * <p>Methods are called on the loop, by the thread that holds its turn, in the order the transitions
 * happen, so an implementation needs no locking for state it touches only from these methods. They
 * must be fast, must not suspend and must not throw: a listener that throws is reported and then
 * ignored for the rest of the run.
 */
public interface TaskListener {

    /** {@code task} was created by {@code parent} (empty for the main task or a task submitted from outside). */
    default void spawned(Task<?> task, Optional<Task<?>> parent) {}

    /** {@code task} got the loop's turn and runs. */
    default void resumed(Task<?> task) {}

    /**
     * {@code task} gave up the turn at a suspension point, for {@code reason} ({@link WaitReason#YIELD}
     * when it yielded and is ready again at once); {@code waitingFor} describes what it waits for (its
     * {@code toString()} is meant for people, and is built only when asked for).
     */
    default void suspended(Task<?> task, WaitReason reason, Object waitingFor) {}

    /**
     * {@code task}, suspended, was made ready to get the turn again by {@code by}: the task that
     * released, set or put what it waited for; empty when the loop itself woke it (a timer, I/O, another
     * thread, a cancellation from outside).
     */
    default void woken(Task<?> task, Optional<Task<?>> by) {}

    /**
     * {@code task} ended; it will not get the turn again. Read how with {@link Task#isCancelled()} and
     * {@link Task#state()}: calling {@link Task#outcome()} here would count as observing a failure
     * and silence its report.
     */
    default void finished(Task<?> task) {}
}
