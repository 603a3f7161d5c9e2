package dev.weft.internal;

/**
 * A fair FIFO queue of suspended tasks: the one wait queue under every primitive of
 * {@code dev.weft.sync}, as trio's {@code ParkingLot} is under trio's.
 *
 * <p>A task {@link #enqueue enqueues} a {@link Waiter}, then {@link #park parks} on it. Whoever
 * releases what it waits for {@link #claim claims} the first waiter still waiting: the waiter is
 * unlinked, its task made ready, and the claimer hands it what it waited for (an item, a permit, a
 * wake-up reason) through {@link Waiter#item} before giving up the turn. A claim cannot be undone:
 * a task woken by a claim returns normally from its park even if it was cancelled in the meantime
 * (the cancellation is thrown at its next suspension point), so nothing handed to a waiter is lost.
 *
 * <p>A waiter whose task was woken by something else (a cancellation, a timeout, a timer, another
 * waiter of the same select) is skipped by claims and dropped from the queue on the way, so it never
 * blocks the ones behind it; it unlinks itself when its task runs. Several waiters of one task, in
 * several lots, stand for one select: the first claim wakes the task and the others are skipped.
 *
 * <p>Everything runs on the loop's turn.
 */
public final class ParkingLot {
    private Waiter head;
    private Waiter tail;

    /** One task's place in a lot. */
    public static final class Waiter {
        private final Fiber<?> fiber;
        /** What the waiter brought (a sender's item) or was handed by its claimer. */
        public Object item;
        private final Object tag;
        private boolean claimed;
        private ParkingLot lot;
        private Waiter prev;
        private Waiter next;

        Waiter(Fiber<?> fiber, Object item, Object tag) {
            this.fiber = fiber;
            this.item = item;
            this.tag = tag;
        }

        /** The waiting task. */
        public Fiber<?> fiber() {
            return fiber;
        }

        /** What the waiter stands for, set when enqueued (a select's clause, a barrier's generation). */
        public Object tag() {
            return tag;
        }

        /** Whether a claimer handed this waiter what it waited for. */
        public boolean claimed() {
            return claimed;
        }

        /** Leaves the lot if still in it. Idempotent. */
        public void leave() {
            if (lot != null) {
                lot.unlink(this);
            }
        }
    }

    /** Puts a waiter for {@code fiber}, carrying {@code item}, at the back of the lot. */
    public Waiter enqueue(Fiber<?> fiber, Object item, Object tag) {
        Waiter w = new Waiter(fiber, item, tag);
        w.lot = this;
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        return w;
    }

    /** {@link #enqueue(Fiber, Object, Object)} without a tag. */
    public Waiter enqueue(Fiber<?> fiber, Object item) {
        return enqueue(fiber, item, null);
    }

    /**
     * Suspends {@code w}'s task, the current one, until it is claimed or woken otherwise, and takes it
     * out of the lot. A suspension point.
     *
     * @return whether {@code w} was claimed; false only after a wake-up by a timer of the caller's
     * @throws RuntimeException the task's cancellation (or a timeout's exception), if it came first
     */
    public boolean park(Waiter w, Object blocker) {
        try {
            w.fiber.suspend(blocker);
        } finally {
            w.leave();
        }
        return w.claimed;
    }

    /**
     * Claims the first waiter still waiting: takes it out, makes its task ready and returns it, for
     * the caller to hand it what it waited for. Returns null if no waiter is waiting.
     */
    public Waiter claim() {
        for (Waiter w = head; w != null; w = head) {
            unlink(w);
            if (w.fiber.sched.wake(w.fiber)) {
                w.claimed = true;
                return w;
            }
        }
        return null;
    }

    /** Whether some waiter may still be waiting (it may have been woken otherwise and not yet left). */
    public boolean isEmpty() {
        return head == null;
    }

    /** How many waiters are still waiting. Linear: for statistics. */
    public int waiting() {
        int n = 0;
        for (Waiter w = head; w != null; w = w.next) {
            if (w.fiber.state() == dev.weft.Task.State.SUSPENDED) {
                n++;
            }
        }
        return n;
    }

    private void unlink(Waiter w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.lot = null;
    }
}
