package dev.weft;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A condition variable for the tasks of one loop (asyncio's {@code Condition}): tasks holding its
 * {@link #lock()} {@link #await} until another task {@link #signal}s that the state they wait for
 * may have changed. ({@code wait}, {@code notify} and {@code notifyAll} are {@code Object}'s in Java,
 * so the names are those of {@code java.util.concurrent.locks.Condition}.)
 *
 * <pre>{@code
 * try (Permit p = ready.lock().hold()) {
 *     ready.awaitFor(() -> !jobs.isEmpty());
 *     job = jobs.poll();
 * }
 * }</pre>
 *
 * <p>Cancellation and timeouts: {@link #await} is a suspension point. However it ends — signalled,
 * cancelled or timed out — it holds the lock again when it returns or throws, as the caller's
 * {@code finally} expects: the lock is re-acquired shielded from the cancellation, which is thrown
 * once the lock is held — also when it came after the signal, while the task waited for the lock
 * (asyncio's rule). A task signalled and then cancelled, before it ran or while it re-acquired the
 * lock, passes the signal on to the next waiter (as asyncio 3.13 does), so no wake-up is lost.
 * Memory consistency effects: those of its lock.
 */
public final class Condition {
    private final Lock lock;
    private final ParkingLot waiters = new ParkingLot();
    @SuppressWarnings("UnnecessaryLambda") // one instance per primitive, not one per wait
    private final Consumer<ParkingLot.Waiter> passOn = w -> waiters.claim();

    /** A condition with a lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /** A condition that uses {@code lock}, which may be shared with other conditions. */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** The lock a task must hold to await or signal. */
    public Lock lock() {
        return lock;
    }

    /**
     * Releases the lock, waits for a {@link #signal}, and acquires the lock again; a suspension point.
     * Wake-ups can be spurious in the sense that the state may have changed again before this task
     * runs: check the state in a loop, or use {@link #awaitFor}.
     *
     * @throws IllegalStateException if the current task does not hold the lock
     */
    public void await() {
        Fiber<?> f = lock.binding().enter(this, "Condition.await");
        lock.checkHeldBy(f, "Condition.await");
        f.checkCancelled(); // before releasing: a cancelled task must not hand the lock around
        ParkingLot.Waiter w = waiters.enqueue(f, null);
        lock.release();
        try {
            waiters.parkToTake(w, WaitReason.CONDITION, this, passOn);
        } finally {
            try (ShieldScope _ = new ShieldScope(f)) {
                lock.acquire();
            }
        }
        if (f.cancelPending()) { // signalled, then cancelled while it waited for the lock
            passOn.accept(w);
            f.checkCancelled();
        }
    }

    /**
     * Awaits until {@code predicate} is true (asyncio's {@code wait_for}); checks it first, with the
     * lock held, and after each wake-up.
     *
     * @throws IllegalStateException if the current task does not hold the lock
     */
    public void awaitFor(BooleanSupplier predicate) {
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /** Wakes the task that has waited longest, if any. The caller must hold the lock. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, longest-waiting first. The caller must hold the lock.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Condition.signal: n must be >= 0, got " + n);
        }
        checkHeld("Condition.signal");
        for (int i = 0; i < n && waiters.claim() != null; i++) {
            // each claimed waiter is woken
        }
    }

    /** Wakes every waiting task. The caller must hold the lock. */
    public void signalAll() {
        checkHeld("Condition.signalAll");
        waiters.claimAll(null);
    }

    /** A snapshot of the condition's state. */
    public Statistics statistics() {
        lock.binding().enter(this, "Condition.statistics");
        return new Statistics(waiters.waiting(), lock.statistics());
    }

    /**
     * The state of a {@link Condition}.
     *
     * @param waiting how many tasks wait to be signalled
     * @param lock the state of its lock
     */
    public record Statistics(int waiting, Lock.Statistics lock) {}

    private void checkHeld(String operation) {
        lock.checkHeldBy(lock.binding().enter(this, operation), operation);
    }

    @Override
    public String toString() {
        return "Condition@" + Integer.toHexString(System.identityHashCode(this)) + " of " + lock;
    }
}
