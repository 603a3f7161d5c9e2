package dev.weft;

import org.jspecify.annotations.Nullable;

/**
 * A fair FIFO queue of suspended tasks: the one wait queue under every primitive of
 * {@code dev.weft.sync}, as trio's {@code ParkingLot} is under trio's.
 *
 * <p>A task {@link #enqueue enqueues} a {@link Waiter}, then {@link #park parks} on it. Whoever
 * releases what it waits for {@link #claim claims} the first waiter still waiting: the waiter is
 * unlinked, its task made ready, and the claimer hands it what it waited for (an item, a permit, a
 * wake-up) through {@link Waiter#item} before giving up the turn.
 *
 * <p>A task may be cancelled after it was claimed and before it runs again. What happens then
 * depends on what it waited for. A waiter that <em>takes</em> something (a lock, a permit, an item,
 * a wake-up) parks with {@link #parkToTake}: it gives what it was handed back — to the next waiter,
 * or back where it came from — and throws its cancellation, as asyncio does, so a cancelled task
 * never walks away with it. A waiter that <em>gives</em> something (a putter, a sender) parks with
 * {@link #park}: its item was taken and stays taken, so it returns normally and the cancellation is
 * thrown at its next suspension point. Either way nothing is lost or delivered twice.
 *
 * <p>A waiter whose task was woken by something else (a cancellation, a timeout, a timer, another
 * waiter of the same select) is skipped by claims and dropped from the queue on the way, so it never
 * blocks the ones behind it; it unlinks itself when its task runs. Several waiters of one task, in
 * several lots, stand for one select: the first claim wakes the task and the others are skipped.
 *
 * <p>Everything runs on the loop's turn.
 */
final class ParkingLot {
    private @Nullable Waiter head;
    private @Nullable Waiter tail;

    /** One task's place in a lot. */
    public static final class Waiter {
        private final Fiber<?> fiber;
        /** What the waiter brought (a sender's item) or was handed by its claimer. */
        public @Nullable Object item;
        private final @Nullable Object tag;
        private boolean claimed;
        private @Nullable ParkingLot lot;
        private @Nullable Waiter prev;
        private @Nullable Waiter next;

        Waiter(Fiber<?> fiber, @Nullable Object item, @Nullable Object tag) {
            this.fiber = fiber;
            this.item = item;
            this.tag = tag;
        }

        /** The waiting task. */
        public Fiber<?> fiber() {
            return fiber;
        }

        /** What the waiter stands for, set when enqueued (a select's clause). */
        public @Nullable Object tag() {
            return tag;
        }

        /** Whether a claimer handed this waiter what it waited for. */
        public boolean claimed() {
            return claimed;
        }

        /** Leaves the lot if still in it. Idempotent. */
        public void leave() {
            ParkingLot l = lot;
            if (l != null) {
                l.unlink(this);
            }
        }
    }

    /** Puts a waiter for {@code fiber}, carrying {@code item}, at the back of the lot. */
    public Waiter enqueue(Fiber<?> fiber, @Nullable Object item, @Nullable Object tag) {
        Waiter w = new Waiter(fiber, item, tag);
        w.lot = this;
        Waiter last = tail;
        w.prev = last;
        if (last == null) {
            head = w;
        } else {
            last.next = w;
        }
        tail = w;
        return w;
    }

    /** {@link #enqueue(Fiber, Object, Object)} without a tag. */
    public Waiter enqueue(Fiber<?> fiber, @Nullable Object item) {
        return enqueue(fiber, item, null);
    }

    /**
     * Suspends {@code w}'s task, the current one, until it is claimed or woken otherwise, and takes it
     * out of the lot. A suspension point.
     *
     * @return whether {@code w} was claimed; false only after a wake-up by a timer of the caller's
     * @throws RuntimeException the task's cancellation (or a timeout's exception), if it came first
     */
    public boolean park(Waiter w, WaitReason reason, Object blocker) {
        try {
            w.fiber.suspend(reason, blocker);
        } finally {
            w.leave();
        }
        return w.claimed;
    }

    /**
     * {@link #park}, for a waiter that takes something: if its task was cancelled after the claim and
     * before it ran again, {@code giveBack} returns what {@code w} was handed (to the next waiter, or
     * back where it came from) and the cancellation is thrown.
     *
     * @return whether {@code w} was claimed (and kept what it was handed)
     */
    public boolean parkToTake(Waiter w, WaitReason reason, Object blocker,
            java.util.function.Consumer<Waiter> giveBack) {
        boolean claimed = park(w, reason, blocker);
        if (claimed && w.fiber.cancelPending()) {
            giveBack.accept(w);
            w.fiber.checkCancelled();
        }
        return claimed;
    }

    /** What a waiter woken with nothing to give back gives back. */
    public static final java.util.function.Consumer<Waiter> NOTHING = w -> {};

    /**
     * Claims the first waiter still waiting: takes it out, makes its task ready and returns it, for
     * the caller to hand it what it waited for. Returns null if no waiter is waiting.
     */
    public @Nullable Waiter claim() {
        for (Waiter w = head; w != null; w = head) {
            unlink(w);
            if (isWaiting(w) && w.fiber.sched.wake(w.fiber)) {
                w.claimed = true;
                return w;
            }
        }
        return null;
    }

    /** Claims every waiter still waiting, handing each {@code handed}; returns how many. */
    public int claimAll(@Nullable Object handed) {
        int n = 0;
        for (Waiter w; (w = claim()) != null; n++) {
            w.item = handed;
        }
        return n;
    }

    /**
     * Whether {@code w}'s task still waits: suspended, in a run that has not been abandoned (a run that
     * deadlocked twice ends with tasks still suspended; a later run must not hand them anything).
     */
    private static boolean isWaiting(Waiter w) {
        return w.fiber.state() == dev.weft.Task.State.SUSPENDED && !w.fiber.sched.ended();
    }

    /** Whether a waiter is waiting: then the next {@link #claim} returns one. */
    public boolean hasWaiting() {
        while (head != null && !isWaiting(head)) {
            unlink(head);
        }
        return head != null;
    }

    /** How many waiters are still waiting. Linear: for statistics. */
    public int waiting() {
        int n = 0;
        for (Waiter w = head; w != null; w = w.next) {
            if (isWaiting(w)) {
                n++;
            }
        }
        return n;
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
        w.lot = null;
    }
}
