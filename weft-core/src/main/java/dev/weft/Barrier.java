package dev.weft;

import java.util.Objects;
import org.jspecify.annotations.Nullable;


/**
 * A meeting point for a fixed number of tasks (asyncio's {@code Barrier}, with
 * {@code threading.Barrier}'s action): each {@link #await}s until {@link #parties()} tasks have
 * arrived, then all go on together and the barrier is ready for the next round.
 *
 * <p><b>States</b>, as asyncio's: <em>filling</em> while tasks arrive; <em>draining</em> once a round
 * is complete, until every task of that round has run again and left; <em>resetting</em> after
 * {@link #reset} while tasks are still inside, until they have left; <em>broken</em> after
 * {@link #abort} or a failed action, until {@link #reset}. A task arriving while the barrier drains or
 * resets waits for that to end, then joins the next round (or throws, if it is broken by then).
 * {@link #reset} and {@link #abort} make every task still inside — waiting in a round that is
 * filling, or released from a complete round but not yet run — throw a
 * {@link BrokenBarrierException}; {@code reset} lets the tasks waiting to enter go on into a new
 * round, {@code abort} makes them throw too.
 *
 * <p>The optional action runs in the last task to arrive, before the others are released; if it
 * throws, that task gets its exception, the others a {@link BrokenBarrierException}, and the barrier
 * is broken (also when the last task is cancelled while an action that waits runs). While it runs,
 * tasks arriving for the next round wait; a reset or abort meanwhile breaks the round.
 *
 * <p>Cancellation and timeouts: {@link #await} is a cancellation point even when it completes the
 * round. A task cancelled while waiting for the round leaves it (the round then needs another task,
 * as in asyncio), and does not count towards completing it even before it has run again (asyncio
 * counts it until then); a task cancelled after its round was complete, before it ran again, throws
 * its cancellation, and the round completes without it. Every method must be called from a task of the
 * loop that uses the barrier. Memory consistency effects: everything each task did before
 * {@link #await} happens-before everything any of them does after.
 */
public final class Barrier {
    private static final Object BROKEN = new Object();

    /** Where a barrier is in its cycle; see the class comment. */
    public enum State {
        /** Tasks arrive and wait until {@code parties} of them have. */
        FILLING,
        /** The barrier has tripped: the waiting tasks leave; arrivals wait for the next cycle. */
        DRAINING,
        /** {@code reset()} was called while tasks waited: they leave with a broken barrier. */
        RESETTING,
        /** {@code abort()} (or a cancelled waiter) broke it: every wait fails until a reset. */
        BROKEN
    }

    private final Binding binding = new Binding();
    private final int parties;
    private final @Nullable Runnable action;
    /** The tasks of the round that is filling, in the order they arrived. */
    private final ParkingLot round = new ParkingLot();
    /** Tasks waiting to enter while the barrier drains, resets or runs its action. */
    private final ParkingLot entering = new ParkingLot();
    private State state = State.FILLING;
    /** Tasks inside: arrived in the round that is filling, or released and not yet left. */
    private int count;
    private boolean acting;

    /** A barrier for {@code parties} tasks, without an action. */
    public Barrier(int parties) {
        this(null, parties);
    }

    /**
     * A barrier for {@code parties} tasks whose last arrival runs {@code action} before the round is
     * released.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, Runnable action) {
        this(Objects.requireNonNull(action, "action"), parties);
    }

    private Barrier(@Nullable Runnable action, int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a Barrier needs at least 1 party, got " + parties);
        }
        this.parties = parties;
        this.action = action;
    }

    /**
     * Waits until {@link #parties()} tasks have arrived; a suspension point.
     *
     * @return this task's arrival index in its round, from 0 to {@code parties() - 1} (the last to
     *     arrive gets {@code parties() - 1})
     * @throws BrokenBarrierException if the barrier is broken, or is reset or aborted before this
     *     task has left it
     */
    public int await() {
        Fiber<?> f = binding.enter(this, "Barrier.await");
        f.checkCancelled();
        while (state == State.DRAINING || state == State.RESETTING || acting) {
            entering.parkToTake(entering.enqueue(f, null), WaitReason.BARRIER, this, ParkingLot.NOTHING);
        }
        if (state == State.BROKEN) {
            throw new BrokenBarrierException("Barrier.await: " + this + " is broken; reset() it first");
        }
        count++;
        try {
            // a waiter cancelled but not yet run is still counted, but does not complete a round
            return count >= parties && round.waiting() + 1 >= parties ? release() : awaitRound(f);
        } finally {
            count--;
            if (count == 0) {
                if (state == State.DRAINING || state == State.RESETTING) {
                    state = State.FILLING;
                }
                entering.claimAll(null);
            }
        }
    }

    /** Waits in the filling round until it is released, reset or broken; returns the arrival index. */
    private int awaitRound(Fiber<?> f) {
        ParkingLot.Waiter w = round.enqueue(f, null);
        round.parkToTake(w, WaitReason.BARRIER, this, ParkingLot.NOTHING);
        if (w.item == BROKEN || state == State.RESETTING || state == State.BROKEN) {
            throw new BrokenBarrierException("Barrier.await: " + this + " was reset or aborted before this task"
                    + " left it");
        }
        return (Integer) Objects.requireNonNull(w.item, "the last arrival hands each task its index");
    }

    /** The last task of the round: runs the action, then releases the others in arrival order. */
    private int release() {
        Runnable a = action;
        if (a != null) {
            acting = true;
            try {
                a.run();
            } catch (Throwable e) { // also a checked exception thrown sneakily, and this task's cancellation
                acting = false;
                abortNow();
                throw e;
            }
            acting = false;
            if (state != State.FILLING) { // reset or aborted while the action ran
                entering.claimAll(null);
                throw new BrokenBarrierException("Barrier.await: " + this + " was reset or aborted while its"
                        + " action ran");
            }
        }
        state = State.DRAINING;
        int index = 0;
        ParkingLot.Waiter w;
        while ((w = round.claim()) != null) {
            w.item = index++;
        }
        return parties - 1;
    }

    /** Breaks the barrier: the tasks inside and every later {@link #await} throw until {@link #reset}. */
    public void abort() {
        binding.enter(this, "Barrier.abort");
        abortNow();
    }

    private void abortNow() {
        state = State.BROKEN;
        round.claimAll(BROKEN);
        entering.claimAll(null); // they see it broken
    }

    /**
     * Returns the barrier to its initial state: the tasks inside throw a {@link BrokenBarrierException};
     * once they have left, the barrier fills again (at once, if none is inside).
     */
    public void reset() {
        binding.enter(this, "Barrier.reset");
        state = count > 0 ? State.RESETTING : State.FILLING; // none waits to enter while none is inside
        round.claimAll(BROKEN);
    }

    /** How many tasks each round needs. */
    public int parties() {
        return parties;
    }

    /** Whether the barrier is broken (aborted, or its action failed) and not yet reset. */
    public boolean isBroken() {
        binding.enter(this, "Barrier.isBroken");
        return state == State.BROKEN;
    }

    /** A snapshot of the barrier's state. */
    public Statistics statistics() {
        binding.enter(this, "Barrier.statistics");
        return new Statistics(parties, state == State.FILLING ? round.waiting() : 0, state);
    }

    /**
     * The state of a {@link Barrier}.
     *
     * @param parties how many tasks each round needs
     * @param waiting how many wait in the round that is filling (0 in any other state, as asyncio's
     *     {@code n_waiting}; unlike it, not counting a waiter cancelled that has not run yet)
     * @param state where the barrier is in its cycle
     */
    public record Statistics(int parties, int waiting, State state) {
        /** Whether the barrier is broken. */
        public boolean broken() {
            return state == State.BROKEN;
        }
    }

    @Override
    public String toString() {
        return "Barrier@" + Integer.toHexString(System.identityHashCode(this)) + " ("
                + state.name().toLowerCase(java.util.Locale.ROOT) + ", " + count + " of " + parties + " inside)";
    }
}
