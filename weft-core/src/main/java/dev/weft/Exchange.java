package dev.weft;

import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The core shared by {@link Queue} and {@link Channel}: items in order, the tasks waiting to take
 * them (getters, receivers) and to give them (putters, senders), and reservations. All on the
 * loop's turn.
 *
 * <p>An item that comes while takers wait stays in its place and is <em>reserved</em> for the taker
 * that has waited longest, which takes the next item when it runs; a taker cancelled before it runs
 * passes its reservation on (asyncio's rule), so items always leave in order and none is lost.
 * Reserved items count against the capacity, as in asyncio, where they stay in the queue until their
 * getter runs (a rendezvous, with no capacity, holds only reserved items). A taker that frees a slot
 * moves the item of the giver that has waited longest in; the giver returns normally even if it was
 * cancelled meanwhile, since its item was taken. Once {@link #end} is set (closed, shut down), takers
 * wait while items are still reserved for others, since a reservation passed on may yet reach them,
 * and are all woken with the end when the last one resolves.
 */
final class Exchange<E> {
    /** Handed to a waiting taker: an item is reserved for it. */
    static final Object TAKE = new Object();

    /** Handed to a waiting giver whose item the buffer could not take (a comparator threw). */
    record Rejected(RuntimeException cause) {}

    final java.util.Queue<E> items;
    final int capacity;
    final ParkingLot takers = new ParkingLot();
    final ParkingLot givers = new ParkingLot();
    final Consumer<ParkingLot.Waiter> passOn = this::passOn;
    /** Items reserved for takers that were woken and have not run yet. */
    int reserved;
    /** Items that ever entered, for {@link Queue}'s count of unfinished items. */
    long entered;
    /** What waiting takers are woken with once nothing is left to take; null while open. */
    @Nullable Object end;
    /** A conflated channel: at most one item not reserved, the newest. */
    boolean latestOnly;
    /** A failed channel: items not reserved are dropped. */
    boolean dropUnreserved;

    Exchange(java.util.Queue<E> items, int capacity) {
        this.items = items;
        this.capacity = capacity;
    }

    /** Whether an item can come in without waiting. */
    boolean hasRoom() {
        return items.size() < capacity;
    }

    /** Whether the source is ended and drained: nothing left, nothing reserved that may come back. */
    boolean drained() {
        return end != null && items.isEmpty() && reserved == 0;
    }

    /** Ends the source: waiting takers are woken with {@code why} now or, if items are left, later. */
    void end(Object why) {
        end = why;
        if (reserved == 0) {
            takers.claimAll(why); // they wait only if nothing is left to take
        }
    }

    /** Wakes the waiting takers with the end, once the last reservation has resolved. */
    private void wakeTakersIfDrained() {
        if (end != null && reserved == 0 && items.isEmpty()) {
            takers.claimAll(end);
        }
    }

    /** Adds {@code item}, for which there is room, and reserves one for a waiting taker. */
    void add(E item) {
        items.add(item); // first: a priority queue's comparator may reject it
        entered++;
        wakeTaker();
    }

    /** If an item is not reserved yet, reserves it for the taker that has waited longest, if any. */
    void wakeTaker() {
        if (items.size() > reserved) {
            ParkingLot.Waiter taker = takers.claim();
            if (taker != null) {
                taker.item = TAKE;
                reserved++;
            }
        }
    }

    /**
     * For a rendezvous (no capacity): reserves {@code item} for the taker that has waited longest, if
     * one waits and no giver waited longer; returns whether it did.
     */
    boolean reserveForWaitingTaker(E item) {
        ParkingLot.Waiter taker = givers.hasWaiting() ? null : takers.claim();
        if (taker == null) {
            return false;
        }
        items.add(item);
        entered++;
        taker.item = TAKE;
        reserved++;
        return true;
    }

    /**
     * For a rendezvous: the item of the giver that has waited longest, taken from it directly, if no
     * item is reserved for another taker (which would otherwise be overtaken); else null.
     */
    @Nullable Object takeFromWaitingGiver() {
        ParkingLot.Waiter giver = items.isEmpty() ? givers.claim() : null;
        return giver == null ? null : giver.item;
    }

    /** Takes an item not reserved for a taker, or returns null. */
    @Nullable E poll() {
        if (items.size() > reserved) {
            E item = items.poll();
            admitGiver();
            return item;
        }
        return null;
    }

    /** What a taker claimed with {@link #TAKE} gets: its reserved item, or null if it was dropped. */
    @Nullable E takeReserved() {
        reserved--;
        E item = items.poll();
        if (item != null) {
            admitGiver();
            matchWaiting();
        }
        wakeTakersIfDrained();
        return item;
    }

    /** A taker cancelled after an item was reserved for it passes the reservation on. */
    void passOn(ParkingLot.Waiter w) {
        if (w.item == TAKE) {
            reserved--;
            trim(dropUnreserved ? 0 : latestOnly ? 1 : Integer.MAX_VALUE);
            wakeTaker();
            matchWaiting();
            wakeTakersIfDrained();
        }
    }

    /**
     * For a rendezvous: once no item is left unreserved, pairs the takers that waited behind items
     * reserved for others with the givers that have waited longest.
     */
    private void matchWaiting() {
        while (capacity == 0 && items.size() == reserved && givers.hasWaiting() && takers.hasWaiting()) {
            @SuppressWarnings("unchecked")
            E item = (E) Objects.requireNonNull(givers.claim(), "a giver waits").item;
            items.add(item);
            entered++;
            Objects.requireNonNull(takers.claim(), "a taker waits").item = TAKE;
            reserved++;
        }
    }

    /** Drops the oldest items not reserved until at most {@code keep} are left (conflated, failed). */
    void trim(int keep) {
        while (items.size() - reserved > keep) {
            java.util.Iterator<E> it = items.iterator(); // the oldest item not reserved is after the reserved ones
            for (int i = 0; i < reserved; i++) {
                it.next();
            }
            it.next();
            it.remove();
        }
    }

    /** A slot was freed: the giver that has waited longest moves its item in. */
    private void admitGiver() {
        if (hasRoom()) {
            ParkingLot.Waiter giver = givers.claim();
            if (giver != null) {
                @SuppressWarnings("unchecked")
                E item = (E) Objects.requireNonNull(giver.item, "a giver brings its item");
                try {
                    add(item);
                } catch (RuntimeException e) { // the giver's error, not the taker's
                    giver.item = new Rejected(e);
                }
            }
        }
    }

}
