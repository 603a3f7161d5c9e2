package dev.weft.cli;

import dev.weft.Event;
import dev.weft.Lock;
import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Testing;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The program {@link PsCommandTest} looks at, in a JVM of its own. Loop "calm" has tasks sleeping, a
 * task group with two children, a task awaiting another, and two tasks deadlocked on two locks (the
 * sleepers' timers keep the run's own deadlock detector quiet); loop "stalled" has a task that holds
 * the turn for good, sleeping without suspending. Prints "ready" when both are set up, then waits to
 * be killed. With the argument {@code idle}, runs no loop at all: a JVM without Weft's MBean.
 */
public final class LiveTarget {
    private LiveTarget() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals("idle")) {
            System.out.println("ready");
            Thread.sleep(Duration.ofHours(1));
            return;
        }
        CountDownLatch ready = new CountDownLatch(2);
        Thread.ofPlatform().daemon().name("calm").start(() -> Weft.run(() -> {
            Task<?> sleeper = Weft.spawn("sleeper-1", () -> Weft.sleep(Duration.ofHours(1)));
            Weft.spawn("sleeper-2", () -> Weft.sleep(Duration.ofHours(1)));
            Weft.spawn("awaiter", () -> Weft.await(sleeper));
            Weft.spawn("opener", () -> {
                try (TaskGroup g = TaskGroup.open()) {
                    g.spawn("child-1", () -> Weft.sleep(Duration.ofHours(1)));
                    g.spawn("child-2", () -> new Event().await());
                    g.join();
                }
            });
            Lock a = new Lock();
            Lock b = new Lock();
            Event aHeld = new Event();
            Event bHeld = new Event();
            Weft.spawn("ab", () -> {
                a.acquire();
                aHeld.set();
                bHeld.await();
                b.acquire();
            });
            Weft.spawn("ba", () -> {
                b.acquire();
                bHeld.set();
                aHeld.await();
                a.acquire();
            });
            Testing.waitAllTasksBlocked();
            ready.countDown();
            Weft.sleep(Duration.ofHours(1));
        }));
        Thread.ofPlatform().daemon().name("stalled").start(() -> {
            try (Loop loop = Loop.builder().stallThreshold(Duration.ofMillis(50)).build()) {
                loop.run(() -> {
                    Weft.spawn("napper", () -> Weft.sleep(Duration.ofHours(1)));
                    Weft.spawn("spinner", () -> {
                        ready.countDown();
                        Thread.sleep(Duration.ofHours(1)); // blocks its thread and keeps the turn
                    });
                    Weft.sleep(Duration.ofHours(1));
                });
            }
        });
        ready.await();
        System.out.println("ready");
        Thread.sleep(Duration.ofHours(1));
    }
}
