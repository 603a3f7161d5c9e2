package dev.weft;

import java.util.function.Consumer;

/**
 * A counting semaphore for the tasks of one loop (asyncio's {@code Semaphore}): {@link #acquire}
 * takes a permit, waiting while there is none; {@link #release} gives one back, straight to the task
 * that has waited longest if any. Fair: a task cannot take a permit ahead of tasks already waiting.
 *
 * <p>Cancellation and timeouts: {@link #acquire} is a cancellation point even when a permit is free,
 * and gives up the turn only when it waits. A task cancelled while waiting leaves without a permit
 * and the tasks behind it move up; a task cancelled after a permit was handed to it, before it ran
 * again, hands the permit on and throws, so no permit is lost or created. Use {@link #hold} to release on every path.
 *
 * <p>This class does not check that releases match acquisitions; {@link BoundedSemaphore} does.
 * Every method must be called from a task of the loop that uses the semaphore. Memory consistency
 * effects: everything a task did before a {@link #release} happens-before everything done after the
 * {@link #acquire} that got that permit.
 */
public sealed class Semaphore permits BoundedSemaphore {
    private final Binding binding = new Binding();
    private final ParkingLot waiters = new ParkingLot();
    private int permits;
    @SuppressWarnings("UnnecessaryLambda") // one instance per primitive, not one per wait
    private final Consumer<ParkingLot.Waiter> handOn = w -> handOn();

    /**
     * A semaphore with {@code permits} permits.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("a semaphore's permits must be >= 0, got " + permits);
        }
        this.permits = permits;
    }

    /** Takes a permit, waiting for one if there is none; a cancellation point, even when there is one. */
    public void acquire() {
        Fiber<?> f = binding.enter(this, "Semaphore.acquire");
        f.checkCancelled();
        while (permits == 0) {
            if (waiters.parkToTake(waiters.enqueue(f, null), WaitReason.SEMAPHORE, this, handOn)) {
                return; // a releaser handed us its permit
            }
        }
        permits--;
    }

    /** Takes a permit if one is free and returns true; returns false at once if none is. */
    public boolean tryAcquire() {
        binding.enter(this, "Semaphore.tryAcquire");
        if (permits == 0) {
            return false;
        }
        permits--;
        return true;
    }

    /** {@link #acquire}s a permit and returns a {@link Permit} that releases it when closed. */
    public Permit hold() {
        acquire();
        return new Release(this::release);
    }

    /** Gives a permit back: to the task that has waited longest, or to the pool of free permits. */
    public void release() {
        binding.enter(this, "Semaphore.release");
        checkRelease(permits);
        handOn();
    }

    /** Hands a permit to the task that has waited longest, or makes it free. */
    private void handOn() {
        if (waiters.claim() == null) {
            permits++;
        }
    }

    /** Called before a released permit becomes free; {@link BoundedSemaphore} rejects one too many. */
    void checkRelease(int free) {}

    /** How many permits are free now. */
    public int availablePermits() {
        binding.enter(this, "Semaphore.availablePermits");
        return permits;
    }

    /** A snapshot of the semaphore's state. */
    public Statistics statistics() {
        binding.enter(this, "Semaphore.statistics");
        return new Statistics(permits, waiters.waiting());
    }

    /**
     * The state of a {@link Semaphore}.
     *
     * @param availablePermits free permits
     * @param waiting how many tasks wait for a permit
     */
    public record Statistics(int availablePermits, int waiting) {}

    @Override
    public String toString() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this)) + " ("
                + permits + " free)";
    }
}
