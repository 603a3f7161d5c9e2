package dev.weft.pool;

import dev.weft.trace.Recorder;
import dev.weft.trace.Track;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Records a pool into the recorders that are {@linkplain Recorder#recording() recording} at each
 * event (a loop's, while it runs; the program's): a track per worker in the pool's group (a cluster's
 * are named by member and thread), a WORK slice per job
 * or map chunk it ran (its failure as the detail), and MARKs where a worker died or was replaced. A
 * replaced worker keeps its track: the marks tell where one process ended and the next began. A
 * process pool's times are the parent's: from sending the work to reading the answer.
 */
final class PoolTrace implements PoolListener {
    private final String group;
    private final IntFunction<String> workerName;
    /** Each recorder's lanes, held weakly: a recorder no one uses any more goes. */
    private final Map<Recorder, Map<Integer, Track>> tracks = Collections.synchronizedMap(new WeakHashMap<>());
    /** When each running piece of work started. */
    private final Map<Work, Long> running = new ConcurrentHashMap<>();

    /** The tracks of pool {@code group}, a worker's named by {@code workerName}. */
    PoolTrace(String group, IntFunction<String> workerName) {
        this.group = group;
        this.workerName = workerName;
    }

    private Track track(Recorder r, int worker) {
        return tracks.computeIfAbsent(r, k -> new HashMap<>()).computeIfAbsent(worker, w -> r.track(group, workerName.apply(w)));
    }

    @Override
    public void started(Work work, int worker) {
        if (!Recorder.recording().isEmpty()) {
            running.put(work, System.nanoTime());
        }
    }

    @Override
    public void finished(Work work, int worker) {
        ended(work, worker, "");
    }

    @Override
    public void failed(Work work, int worker, Throwable failure) {
        ended(work, worker, String.valueOf(failure));
    }

    private void ended(Work work, int worker, String failure) {
        long end = System.nanoTime();
        Long start = running.remove(work);
        if (start != null) {
            for (Recorder r : Recorder.recording()) {
                synchronized (tracks) {
                    track(r, worker).worked(start, end, work.name(), failure);
                }
            }
        }
    }

    @Override
    public void workerDied(int worker, String cause) {
        mark(worker, "worker died", cause);
    }

    @Override
    public void workerReplaced(int worker) {
        mark(worker, "worker replaced", "");
    }

    private void mark(int worker, String name, String detail) {
        long now = System.nanoTime();
        for (Recorder r : Recorder.recording()) {
            synchronized (tracks) {
                track(r, worker).marked(now, name, detail);
            }
        }
    }

    @Override
    public String toString() {
        return "trace of " + group;
    }
}
