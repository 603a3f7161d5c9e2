package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The stall watchdog, deadlock detection and the listener SPI. */
class DiagnosticsTest {
    private final Reports reports = new Reports();

    @Test
    void aStalledTaskIsReportedWhileItStallsWithItsStackAndAgainWhenItEnds() {
        Reports.Report stalled;
        try (Loop loop = Loop.builder().stallThreshold(Duration.ofMillis(20)).reporter(reports).build()) {
            // a real stall: the hog spins, without suspending, until the watchdog has reported it
            stalled = loop.run(() -> Weft.await(Weft.spawn("hog", this::stallUntilReported)));
        }
        assertThat(stalled.message()).contains("task 'hog' has held the loop for");
        assertThat(Objects.requireNonNull(stalled.cause()).getStackTrace()).anySatisfy(f ->
                assertThat(f.getMethodName()).contains("stallUntilReported"));
        assertThat(reports.messages()).anySatisfy(m -> assertThat(m).contains("loop stall ended: task 'hog'"));
    }

    private Reports.Report stallUntilReported() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            for (Reports.Report r : reports.all()) {
                if (r.message().contains("loop stalled")) {
                    return r;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the watchdog did not report a 30 s stall");
    }

    @Test
    void theWatchdogStaysQuietForATaskThatKeepsSuspending() {
        try (Loop loop = Loop.builder().stallThreshold(Duration.ofMillis(50)).reporter(reports).build()) {
            loop.run(() -> {
                long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < end) {
                    Weft.sleep(Duration.ofMillis(1));
                }
            });
        }
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void twoTasksWaitingForEachOtherFailTheRunWithAReport() {
        List<String> cleanup = new ArrayList<>();
        assertThatThrownBy(() -> reports.run(() -> {
            @SuppressWarnings("unchecked")
            Task<Void>[] t = (Task<Void>[]) new Task<?>[2];
            t[0] = Weft.spawn("alice", () -> {
                try {
                    Weft.await(t[1]);
                } finally {
                    cleanup.add("alice");
                }
            });
            t[1] = Weft.spawn("bob", () -> {
                try {
                    Weft.await(t[0]);
                } finally {
                    cleanup.add("bob");
                }
            });
            Weft.await(t[0]);
        })).isInstanceOf(DeadlockException.class)
                .hasMessageContaining("task 'alice' waits for task 'bob'")
                .hasMessageContaining("task 'bob' waits for task 'alice'")
                .hasMessageContaining("task 'main' waits for task 'alice'");
        assertThat(cleanup).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aTaskWaitingForAnotherThreadIsNotADeadlock() throws Exception {
        Thread caller = Thread.currentThread();
        CompletableFuture<Thread> driver = new CompletableFuture<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                awaitIdle(driver.get()); // main waits for f, and the loop found nothing to do: not a deadlock
                f.complete("late but fine");
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        String got = reports.run(() -> {
            driver.complete(Loops.dutiesThread(caller));
            return Weft.await(f);
        });
        other.join();
        assertThat(got).isEqualTo("late but fine");
    }

    /** Returns once the loop driven by {@code driver} has nothing to do and waits for its inbox. */
    private static void awaitIdle(Thread driver) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            for (StackTraceElement e : driver.getStackTrace()) {
                if (e.getClassName().equals("dev.weft.Scheduler") && e.getMethodName().equals("waitForInbox")) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the loop never went idle");
    }

    @Test
    void aListenerSeesEveryTransitionInOrder() {
        List<String> events = new ArrayList<>();
        TaskListener l = new TaskListener() {
            @Override
            public void spawned(Task<?> task, Optional<Task<?>> parent) {
                events.add("spawned " + task.name() + " by " + parent.map(Task::name).orElse("-"));
            }

            @Override
            public void resumed(Task<?> task) {
                events.add("resumed " + task.name());
            }

            @Override
            public void suspended(Task<?> task, WaitReason reason, Object waitingFor) {
                events.add("suspended " + task.name() + " for " + reason.label() + " on " + waitingFor);
            }

            @Override
            public void woken(Task<?> task, Optional<Task<?>> by) {
                events.add("woken " + task.name() + " by " + by.map(Task::name).orElse("the loop"));
            }

            @Override
            public void finished(Task<?> task) {
                events.add("finished " + task.name());
            }
        };
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().listener(l).reporter(reports).build()) {
            loop.run(() -> Weft.await(Weft.spawn("child", () -> Weft.sleep(Duration.ofSeconds(1)))));
        }
        assertThat(events).containsExactly(
                "spawned main by -", "resumed main",
                "spawned child by main", "suspended main for task on task 'child'",
                "resumed child", "suspended child for sleep on the loop clock to reach 1.000 s",
                "woken child by the loop", // a timer
                "resumed child", "finished child", "woken main by child",
                "resumed main", "finished main");
    }

    @Test
    @ExpectsReports("the listener that throws")
    void aListenerThatThrowsIsReportedOnceAndIgnored() {
        int[] calls = {0};
        TaskListener bad = new TaskListener() {
            @Override
            public void resumed(Task<?> task) {
                calls[0]++;
                throw new IllegalStateException("listener bug");
            }
        };
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().listener(bad).reporter(reports).build()) {
            assertThat(loop.run(() -> {
                Weft.yield();
                Weft.sleep(Duration.ofSeconds(1));
                return "unharmed";
            })).isEqualTo("unharmed");
        }
        assertThat(calls[0]).isEqualTo(1);
        assertThat(reports.messages()).singleElement().asString().contains("threw and is ignored");
    }

    /** Under the virtual clock a sleep without end returned, with the clock at Long.MAX_VALUE. */
    @Test
    void aSleepWithoutEndIsNotATimer() {
        assertThatThrownBy(() -> reports.run(() -> Weft.sleep(Duration.ofSeconds(Long.MAX_VALUE))))
                .isInstanceOf(DeadlockException.class).hasMessageContaining("a sleep without end");
    }
}
