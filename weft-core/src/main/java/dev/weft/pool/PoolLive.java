package dev.weft.pool;

import dev.weft.internal.LivePools;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What each worker of a pool runs now, for the live view ({@code weft ps}): a listener of the pool's
 * events, shown through {@link LivePools} while the pool is open. A worker that died is gone until
 * it is replaced; a cluster's lanes go with their member.
 */
final class PoolLive implements PoolListener, Supplier<LivePools.View> {
    /** What a worker runs, since when; {@code work} is null when it is idle. */
    private record Running(@Nullable Work work, long since) {}

    private static final Running IDLE = new Running(null, 0);

    private final String pool;
    private final IntFunction<String> workerName;
    private final Map<Integer, Running> workers = new ConcurrentSkipListMap<>();

    PoolLive(String pool, IntFunction<String> workerName) {
        this.pool = pool;
        this.workerName = workerName;
    }

    @Override
    public void workerStarted(int worker) {
        workers.put(worker, IDLE);
    }

    @Override
    public void workerReplaced(int worker) {
        workers.put(worker, IDLE);
    }

    @Override
    public void workerDied(int worker, String cause) {
        workers.remove(worker);
    }

    @Override
    public void started(Work work, int worker) {
        workers.put(worker, new Running(work, System.nanoTime()));
    }

    /** {@code worker} is idle, unless it has started other work already (the end may be told late). */
    @Override
    public void finished(Work work, int worker) {
        var _ = workers.computeIfPresent(worker, (k, v) -> v.work() == work ? IDLE : v);
    }

    @Override
    public void failed(Work work, int worker, Throwable failure) {
        finished(work, worker);
    }

    @Override
    public LivePools.View get() {
        return new LivePools.View(pool, workers.entrySet().stream()
                .map(e -> {
                    Work w = e.getValue().work();
                    return new LivePools.Worker(workerName.apply(e.getKey()), w == null ? "" : w.name(),
                            e.getValue().since());
                })
                .toList());
    }

    @Override
    public String toString() {
        return "live view of " + pool;
    }
}
