package dev.weft.sync;

import dev.weft.internal.Binding;
import dev.weft.internal.Fiber;
import dev.weft.internal.ParkingLot;

/**
 * A meeting point for a fixed number of tasks (asyncio's {@code Barrier}, with
 * {@code threading.Barrier}'s action): each {@link #await}s until {@link #parties()} tasks have
 * arrived, then all go on together and the barrier is ready for the next round.
 *
 * <p>States, as in asyncio: a barrier is filling, or <em>broken</em> after {@link #abort} or a failed
 * action, until {@link #reset}. {@link #reset} and {@link #abort} wake the waiting tasks with a
 * {@link BrokenBarrierException}. The optional action runs in the last task to arrive, before the
 * others are released; if it throws, that task gets its exception, the others a
 * {@link BrokenBarrierException}, and the barrier is broken (also when the last task is cancelled
 * while an action that waits runs).
 *
 * <p>Cancellation and timeouts: {@link #await} is a cancellation point even when it completes the
 * round. A task cancelled while waiting withdraws its arrival (the round then needs another task, as
 * in asyncio); a task cancelled after its round was complete, before it ran again, throws its
 * cancellation, and the round completes without it (as a task cancelled while an asyncio barrier
 * drains). While an action waits, tasks arriving for the next round wait for it to end. Every
 * method must be called from a task of the loop that uses the barrier. Memory consistency effects:
 * everything each task did before {@link #await} happens-before everything any of them does after.
 */
public final class Barrier {
    private static final Object BROKEN = new Object();

    private final Binding binding = new Binding();
    private final int parties;
    private final Runnable action;
    /** The waiters of the current round; a new lot per round, so an action that waits cannot mix rounds. */
    private ParkingLot round = new ParkingLot();
    /** Tasks that arrived while the action of the round before ran; they go on when it ends. */
    private final ParkingLot draining = new ParkingLot();
    private boolean acting;
    private int arrived;
    private boolean broken;

    /** A barrier for {@code parties} tasks, without an action. */
    public Barrier(int parties) {
        this(parties, null);
    }

    /**
     * A barrier for {@code parties} tasks whose last arrival runs {@code action} (may be null) before
     * the round is released.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, Runnable action) {
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
     * @throws BrokenBarrierException if the barrier is broken, or is reset or aborted while waiting
     */
    public int await() {
        Fiber<?> f = binding.enter(this, "Barrier.await");
        f.checkCancelled();
        for (;;) {
            if (broken) {
                throw new BrokenBarrierException("Barrier.await: " + this + " is broken; reset() it first");
            }
            if (acting) {
                draining.parkToTake(draining.enqueue(f, null), this, ParkingLot.NOTHING);
                continue;
            }
            if (arrived + 1 >= parties && round.waiting() + 1 >= parties) {
                return release();
            }
            ParkingLot lot = round;
            ParkingLot.Waiter w = lot.enqueue(f, null);
            arrived++;
            boolean claimed = false;
            try {
                claimed = lot.parkToTake(w, this, ParkingLot.NOTHING);
            } finally {
                if (!claimed && lot == round) {
                    arrived--; // withdrawn from a round still filling
                }
            }
            if (claimed) {
                if (w.item == BROKEN) {
                    throw new BrokenBarrierException("Barrier.await: " + this + " was reset or aborted while"
                            + " this task waited");
                }
                return (Integer) w.item;
            }
        }
    }

    private int release() {
        ParkingLot lot = newRound();
        if (action != null) {
            acting = true;
            try {
                action.run();
            } catch (Throwable e) { // also a checked exception thrown sneakily, and this task's cancellation
                broken = true;
                acting = false;
                wakeAll(lot);
                draining.claimAll(null);
                throw e;
            }
            acting = false;
        }
        int index = 0;
        ParkingLot.Waiter w;
        while ((w = lot.claim()) != null) {
            w.item = index++;
        }
        draining.claimAll(null); // after this round's tasks: they go on first
        return parties - 1;
    }

    /** Breaks the barrier: the waiting tasks and every later {@link #await} throw until {@link #reset}. */
    public void abort() {
        binding.enter(this, "Barrier.abort");
        broken = true;
        wakeAll(newRound());
    }

    /** Returns the barrier to its initial state; the tasks waiting get a {@link BrokenBarrierException}. */
    public void reset() {
        binding.enter(this, "Barrier.reset");
        broken = false;
        wakeAll(newRound());
    }

    private ParkingLot newRound() {
        ParkingLot old = round;
        round = new ParkingLot();
        arrived = 0;
        return old;
    }

    private static void wakeAll(ParkingLot lot) {
        lot.claimAll(BROKEN);
    }

    /** How many tasks each round needs. */
    public int parties() {
        return parties;
    }

    /** Whether the barrier is broken (aborted, or its action failed) and not yet reset. */
    public boolean isBroken() {
        binding.enter(this, "Barrier.isBroken");
        return broken;
    }

    /** A snapshot of the barrier's state. */
    public Statistics statistics() {
        binding.enter(this, "Barrier.statistics");
        return new Statistics(parties, round.waiting(), broken);
    }

    /**
     * The state of a {@link Barrier}.
     *
     * @param parties how many tasks each round needs
     * @param waiting how many have arrived in the current round
     * @param broken whether it is broken
     */
    public record Statistics(int parties, int waiting, boolean broken) {}

    @Override
    public String toString() {
        return "Barrier@" + Integer.toHexString(System.identityHashCode(this)) + " (" + arrived + " of " + parties
                + " arrived" + (broken ? ", broken" : "") + ")";
    }
}
