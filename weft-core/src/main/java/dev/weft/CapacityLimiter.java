package dev.weft;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A cap on how many borrowers use a resource at once (trio's {@code CapacityLimiter}): a semaphore
 * whose tokens are held by someone. Each borrower — the current task, or any object on whose behalf
 * a task acquires (a connection, a worker) — holds at most one token, only a holder can release, and
 * the total can be changed while in use (raising it lets waiters in at once). Fair, like {@link Lock}.
 *
 * <pre>{@code
 * CapacityLimiter perHost = new CapacityLimiter(10);
 * try (Permit p = perHost.hold()) {
 *     fetch(url); // at most 10 tasks here at once
 * }
 * }</pre>
 *
 * <p>Cancellation and timeouts: acquiring is a cancellation point even when a token is free, and
 * gives up the turn only when it waits. A borrower cancelled while waiting leaves without a token;
 * one cancelled after a token was lent to it, before it ran again, hands it on and throws, so no
 * token is lost. Every method must be
 * called from a task of the loop that uses the limiter. Memory consistency effects: as
 * {@link Semaphore}.
 */
public final class CapacityLimiter {
    private final Binding binding = new Binding();
    private final ParkingLot waiters = new ParkingLot();
    private final Set<Object> borrowers = new HashSet<>();
    private final Set<Object> waitingBorrowers = new HashSet<>();
    private int totalTokens;
    @SuppressWarnings("UnnecessaryLambda") // one instance per primitive, not one per wait
    private final Consumer<ParkingLot.Waiter> giveBack = w -> {
        borrowers.remove(w.item);
        lendToWaiters();
    };

    /**
     * A limiter with {@code totalTokens} tokens.
     *
     * @throws IllegalArgumentException if {@code totalTokens} is less than 1
     */
    public CapacityLimiter(int totalTokens) {
        this.totalTokens = checkTotal(totalTokens);
    }

    /** {@link #acquire(Object)} on behalf of the current task. */
    public void acquire() {
        acquire(binding.enter(this, "CapacityLimiter.acquire"));
    }

    /**
     * Takes a token for {@code borrower}, waiting while none is free; a cancellation point, even when
     * one is free.
     *
     * @throws IllegalStateException if {@code borrower} already holds a token or waits for one
     */
    public void acquire(Object borrower) {
        Fiber<?> f = binding.enter(this, "CapacityLimiter.acquire");
        checkNew(borrower, "acquire");
        f.checkCancelled();
        if (available() > 0) {
            borrowers.add(borrower);
            return;
        }
        waitingBorrowers.add(borrower);
        try {
            while (available() == 0) {
                if (waiters.parkToTake(waiters.enqueue(f, borrower), WaitReason.SEMAPHORE, this, giveBack)) {
                    return; // a releaser lent us its token
                }
            }
            borrowers.add(borrower);
        } finally {
            waitingBorrowers.remove(borrower);
        }
    }

    /** {@link #tryAcquire(Object)} on behalf of the current task. */
    public boolean tryAcquire() {
        return tryAcquire(binding.enter(this, "CapacityLimiter.tryAcquire"));
    }

    /**
     * Takes a token for {@code borrower} if one is free and returns true; returns false at once if none
     * is.
     *
     * @throws IllegalStateException if {@code borrower} already holds a token or waits for one
     */
    public boolean tryAcquire(Object borrower) {
        binding.enter(this, "CapacityLimiter.tryAcquire");
        checkNew(borrower, "tryAcquire");
        if (available() == 0) {
            return false;
        }
        borrowers.add(borrower);
        return true;
    }

    /** {@link #acquire()}s a token for the current task and returns a {@link Permit} that releases it. */
    public Permit hold() {
        Fiber<?> self = binding.enter(this, "CapacityLimiter.hold");
        acquire(self);
        return new Release(() -> release(self));
    }

    /** {@link #release(Object)} on behalf of the current task. */
    public void release() {
        release(binding.enter(this, "CapacityLimiter.release"));
    }

    /**
     * Gives back {@code borrower}'s token: to the borrower that has waited longest, if any.
     *
     * @throws IllegalStateException if {@code borrower} holds no token
     */
    public void release(Object borrower) {
        Objects.requireNonNull(borrower, "borrower");
        binding.enter(this, "CapacityLimiter.release");
        if (!borrowers.remove(borrower)) {
            throw new IllegalStateException("CapacityLimiter.release: " + borrower + " holds no token of " + this
                    + "; only a borrower that acquired a token may release it");
        }
        lendToWaiters();
    }

    /**
     * Changes the number of tokens. Raising it lends the new tokens to waiting borrowers at once;
     * lowering it below the number borrowed takes none back, but lends no more until enough are
     * returned.
     *
     * @throws IllegalArgumentException if {@code totalTokens} is less than 1
     */
    public void setTotalTokens(int totalTokens) {
        binding.enter(this, "CapacityLimiter.setTotalTokens");
        this.totalTokens = checkTotal(totalTokens);
        lendToWaiters();
    }

    /** How many tokens there are in all. */
    public int totalTokens() {
        binding.enter(this, "CapacityLimiter.totalTokens");
        return totalTokens;
    }

    /** How many tokens are free now. */
    public int availableTokens() {
        binding.enter(this, "CapacityLimiter.availableTokens");
        return available();
    }

    /** A snapshot of the limiter's state. */
    public Statistics statistics() {
        binding.enter(this, "CapacityLimiter.statistics");
        return new Statistics(borrowers.size(), totalTokens, Set.copyOf(borrowers), waiters.waiting());
    }

    /**
     * The state of a {@link CapacityLimiter}.
     *
     * @param borrowedTokens tokens held
     * @param totalTokens tokens in all
     * @param borrowers who holds them
     * @param waiting how many borrowers wait for a token
     */
    public record Statistics(int borrowedTokens, int totalTokens, Set<Object> borrowers, int waiting) {}

    private int available() {
        return Math.max(0, totalTokens - borrowers.size());
    }

    private void lendToWaiters() {
        ParkingLot.Waiter w;
        while (available() > 0 && (w = waiters.claim()) != null) {
            borrowers.add(w.item);
        }
    }

    private void checkNew(Object borrower, String operation) {
        Objects.requireNonNull(borrower, "borrower");
        if (borrowers.contains(borrower) || waitingBorrowers.contains(borrower)) {
            throw new IllegalStateException("CapacityLimiter." + operation + ": " + borrower
                    + (borrowers.contains(borrower) ? " already holds" : " already waits for") + " a token of " + this
                    + "; each borrower holds at most one");
        }
    }

    private static int checkTotal(int total) {
        if (total < 1) {
            throw new IllegalArgumentException("a CapacityLimiter needs at least 1 token, got " + total);
        }
        return total;
    }

    @Override
    public String toString() {
        return "CapacityLimiter@" + Integer.toHexString(System.identityHashCode(this)) + " (" + totalTokens
                + " tokens)";
    }
}
