package dev.weft.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The ring buffer: what it keeps, what it says it dropped, and consistent slices under concurrent writers. */
class RecorderTest {

    @Test
    void aCapacityOutsideItsRangeIsRefusedSayingTheRange() {
        assertThatThrownBy(() -> Recorder.create(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 2 to " + Recorder.MAX_CAPACITY);
        assertThatThrownBy(() -> Recorder.create(Recorder.MAX_CAPACITY + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullRingKeepsTheLatestSlicesInOrderAndCountsTheRest() {
        Recorder r = Recorder.create(6); // rounded up to 8
        Track t = r.track("loop", "task");
        for (int i = 0; i < 20; i++) {
            t.waited(i, i + 1, "reason " + (i % 3));
        }
        assertThat(r.recorded()).isEqualTo(20);
        assertThat(r.dropped()).isEqualTo(12);
        assertThat(r.slices()).extracting(Slice::start).containsExactly(12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        assertThat(r.slices()).allSatisfy(s -> assertThat(s.label()).isEqualTo("reason " + (s.start() % 3)));
    }

    @Test
    void detailsAndWakesStayWithTheirSlicesAndDoNotLeakIntoTheNextLap() {
        Recorder r = Recorder.create(2);
        Track a = r.track("loop", "a");
        Track b = r.track("loop", "b");
        a.marked(1, "stall", "stack");
        a.woke(b, 2);
        assertThat(r.slices()).satisfiesExactly(
                s -> assertThat(s.detail()).isEqualTo("stack"),
                s -> assertThat(s.woke()).contains(b));
        a.ran(3, 4);
        a.ran(4, 5);
        assertThat(r.slices()).allSatisfy(s -> {
            assertThat(s.detail()).isEmpty();
            assertThat(s.woke()).isEmpty();
        });
    }

    @Test
    void aSpanThatEndsBeforeItStartsIsEmpty() {
        Recorder r = Recorder.create(4);
        r.track("g", "t").ran(10, 5);
        assertThat(r.slices()).singleElement().satisfies(s -> assertThat(s.nanos()).isZero());
    }

    @Test
    void pastTheLabelLimitNewNamesShareOneLabel() {
        Recorder r = Recorder.create(8);
        Track t = r.track("g", "t");
        for (int i = 0; i < 5000; i++) {
            t.marked(i, "mark " + i, "");
        }
        assertThat(r.slices()).last().satisfies(s -> assertThat(s.label()).isEqualTo("(one of too many names)"));
    }

    /**
     * Writers lapping each other on a tiny ring while a reader reads: every slice read is one writer's
     * whole slice (its track, its label and its length agree), never a mix of two.
     */
    @Test
    void concurrentWritersNeverTearASlice() throws InterruptedException {
        Recorder r = Recorder.create(4);
        int writers = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<@Nullable String> torn = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 1; w <= writers; w++) {
            int length = w;
            Track t = r.track("g", "writer " + w);
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int k = 0; k < each; k++) {
                    t.waited(k, k + length, "writer " + length);
                }
            }));
        }
        Thread reader = Thread.ofPlatform().start(() -> {
            await(start);
            while (writing.get()) {
                for (Slice s : r.slices()) {
                    String name = s.track().name();
                    if (!s.label().equals(name) || !name.equals("writer " + s.nanos())) {
                        torn.compareAndSet(null, name + " / " + s.label() + " / " + s.nanos() + " ns");
                    }
                }
            }
        });
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        writing.set(false);
        reader.join();
        assertThat(torn.get()).as("a torn slice").isNull();
        assertThat(r.recorded()).isEqualTo((long) writers * each);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
