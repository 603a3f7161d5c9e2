package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Every suspension point tells listeners why the task waits, and a wake-up names the task that caused it. */
class WaitReasonTest {
    private final List<String> events = new ArrayList<>();
    private final TaskListener listener = new TaskListener() {
        @Override
        public void suspended(Task<?> task, WaitReason reason, Object waitingFor) {
            if (task.name().equals("waiter") && reason != WaitReason.YIELD) {
                events.add(reason.label());
            }
        }

        @Override
        public void woken(Task<?> task, Optional<Task<?>> by) {
            if (task.name().equals("waiter")) {
                events.add("woken by " + by.map(Task::name).orElse("the loop"));
            }
        }
    };

    /** Runs {@code waiter} and, once it waits, {@code waker}; returns what the listener saw of the waiter. */
    private List<String> waits(Action<?> waiter, Action<?> waker) {
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().listener(listener).build()) {
            loop.run(() -> {
                Task<Void> w = Weft.spawn("waiter", waiter);
                while (w.waitingFor().isEmpty()) {
                    Weft.yield();
                }
                Weft.await(Weft.spawn("waker", waker));
                Weft.await(w);
            });
        }
        return events;
    }

    @Test
    void synchronisationPrimitivesNameThemselvesAndTheirWaker() {
        Lock lock = new Lock();
        Event event = new Event();
        Semaphore semaphore = new Semaphore(0);
        Queue<String> queue = Queue.fifo();
        Channel<String> channel = Channel.unlimited();
        Condition condition = new Condition();
        Barrier barrier = new Barrier(2);
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().listener(listener).build()) {
            loop.run(() -> {
                Task<Void> w = Weft.spawn("waiter", () -> {
                    Weft.yield(); // the waker takes the lock first
                    lock.acquire();
                    lock.release();
                    event.await();
                    semaphore.acquire();
                    queue.get();
                    channel.receive();
                    condition.lock().acquire();
                    try {
                        condition.await();
                    } finally {
                        condition.lock().release();
                    }
                    barrier.await();
                });
                Task<Void> waker = Weft.spawn("waker", () -> {
                    lock.acquire();
                    Runnable[] steps = {lock::release, event::set, semaphore::release, () -> queue.put("x"),
                        () -> channel.send("x"), () -> {
                            condition.lock().acquire();
                            condition.signal();
                            condition.lock().release();
                        }, barrier::await};
                    for (Runnable step : steps) {
                        while (w.waitingFor().isEmpty()) {
                            Weft.yield();
                        }
                        step.run();
                        Weft.yield();
                    }
                });
                Weft.await(waker);
                Weft.await(w);
            });
        }
        assertThat(events).containsExactly(
                "lock", "woken by waker", "event", "woken by waker", "semaphore", "woken by waker",
                "queue", "woken by waker", "channel", "woken by waker", "condition", "woken by waker",
                "barrier", "woken by waker");
    }

    @Test
    void aSleepIsWokenByTheLoop() {
        assertThat(waits(() -> Weft.sleep(Duration.ofSeconds(5)), () -> {})).containsExactly("sleep", "woken by the loop");
    }

    @Test
    void awaitingATaskIsWokenByThatTask() {
        Event go = new Event();
        List<String> seen = waits(() -> Weft.await(Weft.spawn("child", go::await)), go::set);
        assertThat(seen).containsExactly("task", "woken by child");
    }

    @Test
    void aFutureCompletedByAnotherThreadAndToThreadAreWokenByTheLoop() {
        CompletableFuture<String> f = new CompletableFuture<>();
        assertThat(waits(() -> Weft.await(f), () -> Thread.ofPlatform().start(() -> f.complete("done"))))
                .containsExactly("future", "woken by the loop");
        events.clear();
        assertThat(waits(() -> Weft.toThread(() -> Thread.sleep(1)), () -> {}))
                .containsExactly("toThread", "woken by the loop");
    }
}
