package dev.weft.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commits a {@code dev.weft.PoolTask} JFR event ({@link PoolTaskEvent}) per job or chunk a worker ran,
 * while a recording enables it.
 */
final class PoolJfr implements PoolListener {
    /** Asked whether the event is on: cheap, and no JFR machinery is started for it. */
    private static final PoolTaskEvent PROBE = new PoolTaskEvent();

    private final String pool;
    private final Map<Work, PoolTaskEvent> running = new ConcurrentHashMap<>();

    PoolJfr(String pool) {
        this.pool = pool;
    }

    /** Whether a recording takes {@code dev.weft.PoolTask} events. */
    private static boolean enabled() {
        return PROBE.isEnabled();
    }

    @Override
    public void started(Work work, int worker) {
        if (enabled()) {
            PoolTaskEvent e = new PoolTaskEvent();
            e.begin();
            running.put(work, e);
        }
    }

    @Override
    public void finished(Work work, int worker) {
        ended(work, worker, false);
    }

    @Override
    public void failed(Work work, int worker, Throwable failure) {
        ended(work, worker, true);
    }

    private void ended(Work work, int worker, boolean failed) {
        PoolTaskEvent e = running.remove(work);
        if (e != null) {
            e.end();
            if (e.shouldCommit()) {
                e.pool = pool;
                e.worker = worker;
                e.job = work.name();
                e.size = work.size();
                e.failed = failed;
                e.commit();
            }
        }
    }

    @Override
    public String toString() {
        return "JFR events of " + pool;
    }
}
