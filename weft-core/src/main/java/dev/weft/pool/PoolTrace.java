package dev.weft.pool;

import dev.weft.trace.Recorder;
import dev.weft.trace.Track;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records a pool into a {@link Recorder}: a track per worker in the pool's group, a WORK slice per job
 * or map chunk it ran (its failure as the detail), and MARKs where a worker died or was replaced. A
 * replaced worker keeps its track: the marks tell where one process ended and the next began. A
 * process pool's times are the parent's: from sending the work to reading the answer.
 */
final class PoolTrace implements PoolListener {
    private final Recorder recorder;
    private final String group;
    private final Map<Integer, Track> tracks = new ConcurrentHashMap<>();
    /** When each running piece of work started. */
    private final Map<Work, Long> running = new ConcurrentHashMap<>();

    PoolTrace(Recorder recorder, String group) {
        this.recorder = recorder;
        this.group = group;
    }

    private Track track(int worker) {
        return tracks.computeIfAbsent(worker, w -> recorder.track(group, "worker " + w));
    }

    @Override
    public void workerStarted(int worker) {
        var _ = track(worker); // the lanes in the workers' order
    }

    @Override
    public void started(Work work, int worker) {
        running.put(work, System.nanoTime());
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
            track(worker).worked(start, end, work.name(), failure);
        }
    }

    @Override
    public void workerDied(int worker, String cause) {
        track(worker).marked(System.nanoTime(), "worker died", cause);
    }

    @Override
    public void workerReplaced(int worker) {
        track(worker).marked(System.nanoTime(), "worker replaced", "");
    }

    @Override
    public String toString() {
        return "trace of " + group;
    }
}
