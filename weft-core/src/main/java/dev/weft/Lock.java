package dev.weft;

import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A mutual-exclusion lock for the tasks of one loop (asyncio's {@code Lock}, owned like trio's): not
 * reentrant, owned by the task that acquired it, and fair — on release it goes straight to the task
 * that has waited longest, so a task that releases and at once acquires again cannot barge ahead.
 *
 * <pre>{@code
 * try (Permit p = lock.hold()) {
 *     balance = read();
 *     Weft.sleep(Duration.ofMillis(10)); // other tasks run, but none enters here
 *     write(balance + 1);
 * }
 * }</pre>
 *
 * <p>Cancellation and timeouts: {@link #acquire} is a cancellation point even when the lock is free,
 * and gives up the turn only when it waits. A task cancelled (or timed out) while waiting leaves the
 * queue without the lock and the tasks behind it move up; a task cancelled after the lock was handed
 * to it, before it ran again, hands it on to the next waiter and throws, so the lock is never lost
 * (as in asyncio). A task that ends holding the lock does
 * not release it (as in asyncio): release it in {@code finally} or use {@link #hold}.
 *
 * <p>Every method must be called from a task of the loop that uses the lock (see the package
 * documentation). Memory consistency effects: everything a task did before {@link #release}
 * happens-before everything the next holder does after its {@link #acquire} returns.
 */
public final class Lock {
    private final Binding binding = new Binding();
    private final ParkingLot waiters = new ParkingLot();
    private @Nullable Fiber<?> owner;
    @SuppressWarnings("UnnecessaryLambda") // one instance per primitive, not one per wait
    private final Consumer<ParkingLot.Waiter> handOn = w -> handOn();

    /** An unlocked lock. */
    public Lock() {}

    /**
     * Acquires the lock, waiting until it is free; a cancellation point, even when it is free.
     *
     * @throws IllegalStateException if the current task already holds it (a lock is not reentrant)
     */
    public void acquire() {
        Fiber<?> f = binding.enter(this, "Lock.acquire");
        f.checkCancelled();
        if (owner == f) {
            throw new IllegalStateException("Lock.acquire: " + f + " already holds " + this
                    + "; a Lock is not reentrant: release it first, or restructure so it is acquired once");
        }
        while (owner != null) {
            if (waiters.parkToTake(waiters.enqueue(f, null), WaitReason.LOCK, this, handOn)) {
                return; // the releaser made us the owner
            }
        }
        owner = f;
    }

    /** Acquires the lock if it is free and returns true; returns false at once if it is not. */
    public boolean tryAcquire() {
        Fiber<?> f = binding.enter(this, "Lock.tryAcquire");
        if (owner != null) {
            return false;
        }
        owner = f;
        return true;
    }

    /** {@link #acquire}s the lock and returns a {@link Permit} that releases it when closed. */
    public Permit hold() {
        acquire();
        return new Release(this::release);
    }

    /**
     * Releases the lock, handing it to the task that has waited longest, if any.
     *
     * @throws IllegalStateException if the current task does not hold the lock
     */
    public void release() {
        Fiber<?> f = binding.enter(this, "Lock.release");
        checkHeldBy(f, "Lock.release");
        handOn();
    }

    /** Makes the task that has waited longest the owner, or unlocks. */
    private void handOn() {
        ParkingLot.Waiter next = waiters.claim();
        owner = next == null ? null : next.fiber();
    }

    void checkHeldBy(Fiber<?> f, String operation) {
        if (owner != f) {
            throw new IllegalStateException(operation + ": " + f + " does not hold " + this
                    + (owner == null ? "" : "; " + owner + " does") + ": only the task that acquired a lock"
                    + " may release it");
        }
    }

    /** The task holding the lock, or null; off the loop (the live view) a snapshot that may be stale. */
    @Nullable Fiber<?> owner() {
        return owner;
    }

    Binding binding() {
        return binding;
    }

    /** Whether some task holds the lock. */
    public boolean isLocked() {
        binding.enter(this, "Lock.isLocked");
        return owner != null;
    }

    /** A snapshot of the lock's state. */
    public Statistics statistics() {
        binding.enter(this, "Lock.statistics");
        return new Statistics(Optional.ofNullable(owner), waiters.waiting());
    }

    /**
     * The state of a {@link Lock}.
     *
     * @param owner the task holding the lock, if any
     * @param waiting how many tasks wait to acquire it
     */
    public record Statistics(Optional<Task<?>> owner, int waiting) {}

    @Override
    public String toString() {
        Fiber<?> o = owner;
        return "Lock@" + Integer.toHexString(System.identityHashCode(this))
                + (o == null ? " (unlocked)" : " (held by " + o + ")");
    }
}
