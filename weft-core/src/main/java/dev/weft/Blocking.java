package dev.weft;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of {@code Weft.toThread}: platform daemon threads, made on demand and kept for a minute
 * when idle. Not virtual threads: blocking or CPU-heavy code there must not take the carriers that
 * the loops' tasks run on.
 */
final class Blocking {
    private Blocking() {}

    private static final class Holder {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new Factory());
    }

    static ExecutorService executor() {
        return Holder.EXECUTOR;
    }

    private static final class Factory implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            return Thread.ofPlatform().daemon().name("weft-to-thread-" + n.incrementAndGet()).unstarted(r);
        }
    }
}
