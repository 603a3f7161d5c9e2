package dev.weft.internal;

import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The open pools of this JVM, for the live view ({@code weft ps}): {@code dev.weft.pool} adds each
 * pool as it opens and removes it once it has ended; {@code dev.weft} renders them. Held weakly: a
 * pool dropped without being closed goes when it is collected.
 */
public final class LivePools {
    private LivePools() {}

    /** A worker of a pool: its name, what it runs ({@code ""} when idle) and since when ({@link System#nanoTime}). */
    public record Worker(String name, String work, long sinceNanos) {}

    /** A pool as it is: its label ("pool 2 (processes, 4 workers)") and its workers. */
    public record View(String label, List<Worker> workers) {}

    private static final AtomicLong ORDER = new AtomicLong();
    private static final Map<Supplier<View>, Long> POOLS = new WeakHashMap<>(); // guarded by itself

    /**
     * The live view, {@code dev.weft}'s, which registers its MBean as it is initialized. Named, not
     * referred to: this package depends on no other of Weft's.
     */
    private static final String VIEW = "dev.weft.LiveView";

    /**
     * Shows {@code pool} (which gives its view when asked, from any thread) until {@link #remove}.
     * The first pool starts the live view, so that {@code weft ps} finds a JVM that runs no loop.
     */
    public static void add(Supplier<View> pool) {
        long n = ORDER.incrementAndGet();
        synchronized (POOLS) {
            POOLS.put(pool, n);
        }
        if (n == 1) {
            try {
                Class.forName(VIEW, true, LivePools.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new LinkageError(VIEW + " is part of weft-core", e);
            }
        }
    }

    /** Stops showing {@code pool}. */
    public static void remove(Supplier<View> pool) {
        synchronized (POOLS) {
            POOLS.remove(pool);
        }
    }

    /** The open pools, oldest first. */
    public static List<View> views() {
        List<Supplier<View>> pools;
        synchronized (POOLS) {
            pools = POOLS.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        }
        return pools.stream().map(Supplier::get).toList();
    }
}
