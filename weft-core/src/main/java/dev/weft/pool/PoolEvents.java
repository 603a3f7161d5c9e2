package dev.weft.pool;

import dev.weft.internal.LivePools;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The listeners of one pool, called in order: the builder's, a {@link PoolTrace} (into the recorders
 * recording at the time), {@link PoolJfr} and {@link PoolLive} (the live view, shown from the pool's
 * start until {@link #ended}). A listener that throws is reported once and ignored by this pool from
 * then on.
 */
final class PoolEvents {
    private static final System.Logger LOG = System.getLogger("dev.weft.pool");

    private final PoolListener[] all;
    /** 1 at a listener's index once it has thrown. */
    private final AtomicIntegerArray broken;
    private final PoolLive live;
    private final AtomicLong ids = new AtomicLong();

    PoolEvents(@Nullable PoolListener listener, String pool, IntFunction<String> workerName) {
        List<PoolListener> l = new ArrayList<>();
        if (listener != null) {
            l.add(listener);
        }
        l.add(new PoolTrace(pool, workerName));
        l.add(new PoolJfr(pool));
        this.live = new PoolLive(pool, workerName);
        l.add(live);
        LivePools.add(live);
        this.all = l.toArray(PoolListener[]::new);
        this.broken = new AtomicIntegerArray(all.length);
    }

    /** {@code job} as work the listeners see, numbered. */
    PoolListener.Work work(Job<?> job) {
        return job instanceof Chunk<?, ?> c
                ? new PoolListener.Work(ids.incrementAndGet(), name(c.fn().getClass()) + " x " + c.size(), c.size())
                : new PoolListener.Work(ids.incrementAndGet(), name(job.getClass()), 1);
    }

    /** A class's name for people: its simple name; a lambda's says where it was written. */
    static String name(Class<?> c) {
        return NAMES.get(c);
    }

    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> c) {
            String n = c.getName();
            n = n.substring(n.lastIndexOf('.') + 1);
            int lambda = n.indexOf("$$Lambda");
            return lambda < 0 ? n : "lambda in " + n.substring(0, lambda);
        }
    };

    void queued(PoolListener.Work w) {
        send(l -> l.queued(w));
    }

    void started(PoolListener.Work w, int worker) {
        send(l -> l.started(w, worker));
    }

    void finished(PoolListener.Work w, int worker) {
        send(l -> l.finished(w, worker));
    }

    void failed(PoolListener.Work w, int worker, Throwable failure) {
        send(l -> l.failed(w, worker, failure));
    }

    /** The pool has ended: the live view stops showing it. */
    void ended() {
        LivePools.remove(live);
    }

    void workerStarted(int worker) {
        send(l -> l.workerStarted(worker));
    }

    void workerDied(int worker, String cause) {
        send(l -> l.workerDied(worker, cause));
    }

    void workerReplaced(int worker) {
        send(l -> l.workerReplaced(worker));
    }

    private void send(Consumer<PoolListener> call) {
        for (int i = 0; i < all.length; i++) {
            if (broken.get(i) == 0) {
                try {
                    call.accept(all[i]);
                } catch (Throwable e) {
                    if (broken.getAndSet(i, 1) == 0) {
                        LOG.log(Level.ERROR, "pool listener " + all[i] + " threw and is ignored by its pool from now on", e);
                    }
                }
            }
        }
    }
}
