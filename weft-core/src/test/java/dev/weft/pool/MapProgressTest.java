package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A map's progress callbacks: all told, in order, before the map returns. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MapProgressTest {
    /**
     * map must not return before every progress callback has been delivered: the callback is a dependent
     * of a chunk's future, and map waits for the chunk futures. Here the second chunk finishes first and
     * its callback is held until map has returned (or 300 ms); the first chunk finishes once that callback
     * has started. (Before, map returned with one update missing, and updates could be told out of order.)
     */
    @Test
    void mapReturnsOnlyAfterEveryProgressUpdate() throws Exception {
        try (Pool pool = Pool.threads().workers(2).build()) {
            Thread caller = Thread.currentThread();
            CountDownLatch callerWaits = new CountDownLatch(1);
            Thread watcher = Thread.ofPlatform().daemon().start(() -> {
                while (caller.getState() != Thread.State.WAITING) { // parked in map: every chunk is submitted
                    Thread.onSpinWait();
                }
                callerWaits.countDown();
            });
            CountDownLatch firstCallbackStarted = new CountDownLatch(1);
            CountDownLatch returned = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean();
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            List<Integer> out = pool.map((Integer x) -> {
                if (x == 0) {
                    assertThat(firstCallbackStarted.await(10, TimeUnit.SECONDS)).isTrue(); // chunk 0 ends last
                } else {
                    assertThat(callerWaits.await(10, TimeUnit.SECONDS)).isTrue();
                }
                return x;
            }, List.of(0, 1), MapOptions.builder().chunkSize(1).progress((done, total) -> {
                if (first.compareAndSet(false, true)) {
                    firstCallbackStarted.countDown();
                    try {
                        // holds this update for as long as a map that does not wait for it needs to return (it
                        // would within microseconds of the last chunk): proving that map waits is proving that
                        // something does not happen, so this one wait is bounded by time
                        returned.await(300, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                seen.add(done);
            }).build());
            List<Long> atReturn = List.copyOf(seen);
            returned.countDown();
            watcher.join();
            assertThat(out).containsExactly(0, 1);
            assertThat(atReturn).as("progress updates delivered when map returned").containsExactly(1L, 2L);
        }
    }
}
