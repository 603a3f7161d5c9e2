package dev.weft;


/**
 * A flag tasks can wait for (asyncio's {@code Event}): {@link #await} returns once the flag is set;
 * {@link #set} wakes every task waiting; {@link #clear} lowers the flag for later waiters.
 *
 * <p>Cancellation and timeouts: {@link #await} is a cancellation point even when the flag is set; a
 * task cancelled while waiting, or after {@link #set} woke it but before it ran, throws its
 * cancellation. A task woken by {@link #set} returns normally even if the flag is cleared before it
 * runs. Every method must be called from a task of the loop that uses the event (to set it
 * from another thread, {@code loop.submit(() -> event.set())}). Memory consistency
 * effects: everything a task did before {@link #set} happens-before everything the woken tasks do
 * after {@link #await} returns.
 */
public final class Event {
    private final Binding binding = new Binding();
    private final ParkingLot waiters = new ParkingLot();
    private boolean set;

    /** An event whose flag is not set. */
    public Event() {}

    /** Sets the flag and wakes every waiting task. Idempotent. */
    public void set() {
        binding.enter(this, "Event.set");
        if (!set) {
            set = true;
            waiters.claimAll(null);
        }
    }

    /** Lowers the flag: later calls of {@link #await} wait for the next {@link #set}. */
    public void clear() {
        binding.enter(this, "Event.clear");
        set = false;
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        binding.enter(this, "Event.isSet");
        return set;
    }

    /** Waits until the flag is set; a cancellation point, even when it is set already. */
    public void await() {
        Fiber<?> f = binding.enter(this, "Event.await");
        f.checkCancelled();
        while (!set) {
            if (waiters.parkToTake(waiters.enqueue(f, null), WaitReason.EVENT, this, ParkingLot.NOTHING)) {
                return;
            }
        }
    }

    /** A snapshot of the event's state. */
    public Statistics statistics() {
        binding.enter(this, "Event.statistics");
        return new Statistics(set, waiters.waiting());
    }

    /**
     * The state of an {@link Event}.
     *
     * @param set whether the flag is set
     * @param waiting how many tasks wait for it
     */
    public record Statistics(boolean set, int waiting) {}

    @Override
    public String toString() {
        return "Event@" + Integer.toHexString(System.identityHashCode(this)) + (set ? " (set)" : " (not set)");
    }
}
