package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SyncBindingTest {

    private static void failsOutsideATask(ThrowingCallable call, String operation) {
        assertThatThrownBy(call).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(operation).hasMessageContaining("loop.submit");
    }

    // ------------------------------------------------------------ from a thread that is not a task

    @Test
    void aLockCannotBeUsedOutsideATask() {
        Lock lock = new Lock();
        failsOutsideATask(lock::tryAcquire, "Lock.tryAcquire");
        failsOutsideATask(lock::acquire, "Lock.acquire");
    }

    @Test
    void aSemaphoreCannotBeUsedOutsideATask() {
        Semaphore s = new Semaphore(1);
        failsOutsideATask(s::release, "Semaphore.release");
        failsOutsideATask(s::availablePermits, "Semaphore.availablePermits");
    }

    @Test
    void anEventCannotBeSetOutsideATask() {
        Event event = new Event();
        failsOutsideATask(event::set, "Event.set");
        failsOutsideATask(event::await, "Event.await");
    }

    @Test
    void aConditionCannotBeUsedOutsideATask() {
        Condition cond = new Condition();
        failsOutsideATask(cond::signalAll, "Condition.signalAll");
        failsOutsideATask(cond::await, "Condition.await");
    }

    @Test
    void aBarrierCannotBeUsedOutsideATask() {
        Barrier barrier = new Barrier(2);
        failsOutsideATask(barrier::await, "Barrier.await");
        failsOutsideATask(barrier::reset, "Barrier.reset");
    }

    @Test
    void aCapacityLimiterCannotBeUsedOutsideATask() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        failsOutsideATask(() -> limiter.tryAcquire("x"), "CapacityLimiter.tryAcquire");
        failsOutsideATask(() -> limiter.setTotalTokens(2), "CapacityLimiter.setTotalTokens");
    }

    @Test
    void aQueueCannotBeUsedOutsideATask() {
        Queue<String> queue = Queue.fifo();
        failsOutsideATask(() -> queue.tryPut("x"), "Queue.tryPut");
        failsOutsideATask(queue::size, "Queue.size");
    }

    @Test
    void aChannelCannotBeUsedOutsideATask() {
        Channel<String> channel = Channel.unlimited();
        failsOutsideATask(() -> channel.trySend("x"), "Channel.trySend");
        failsOutsideATask(channel::tryReceive, "Channel.tryReceive");
    }

    // ------------------------------------------------------------ across runs

    @Test
    void aPrimitiveUsedByAFinishedRunCanBeUsedByALaterRun() {
        Lock lock = new Lock();
        Queue<String> queue = Queue.fifo();
        Loops.virtual(() -> {
            lock.acquire();
            queue.put("left by the first run");
            lock.release();
        });
        String got = Loops.virtual(() -> {
            assertThat(lock.tryAcquire()).isTrue();
            lock.release();
            return queue.get();
        });
        assertThat(got).isEqualTo("left by the first run");
    }

    @Test
    void aPrimitiveInUseByARunningLoopFailsInASecondLoop() throws Exception {
        Event event = new Event();
        CountDownLatch firstUsedIt = new CountDownLatch(1);
        CompletableFuture<Void> secondTried = new CompletableFuture<>();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> Loops.virtual(() -> {
                event.set();
                firstUsedIt.countDown();
                Weft.await(secondTried); // keeps this run alive without holding the loop
                assertThat(event.isSet()).isTrue(); // still this run's
            }), thread);
            assertThat(firstUsedIt.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                Loops.virtual(() -> {
                    assertThatThrownBy(event::isSet).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("Event.isSet").hasMessageContaining("another loop");
                    assertThatThrownBy(event::clear).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("another loop");
                });
            } finally {
                secondTried.complete(null);
            }
            first.get(10, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aPrimitiveFreedByAnEndedRunCanBeTakenByAnotherThreadsLoop() throws Exception {
        Semaphore s = new Semaphore(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture.runAsync(() -> Loops.virtual(() -> s.acquire()), thread).get(10, TimeUnit.SECONDS);
            int left = Loops.virtual(() -> {
                s.release();
                return s.availablePermits();
            });
            assertThat(left).isEqualTo(1);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    @ExpectsReports("the shielded waiter the deadlocked run has to abandon")
    void aWaiterLeftByAnAbandonedRunIsNotHandedAPermitByALaterRun() {
        Semaphore sem = new Semaphore(0);
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Task<Void> stuck = Weft.spawn(() -> {
                try (Shield _ = Weft.shield()) {
                    sem.acquire(); // shielded: the deadlock's cancellation cannot end it
                }
            });
            Weft.await(stuck);
        })).isInstanceOf(DeadlockException.class);
        Loops.virtual(() -> {
            sem.release();
            assertThat(sem.availablePermits()).isEqualTo(1);
            assertThat(sem.statistics().waiting()).isZero();
        });
    }

    @Test
    void anotherThreadSetsAnEventThroughLoopSubmitOfAnAction() throws Exception {
        Event event = new Event();
        CompletableFuture<Loop> running = new CompletableFuture<>();
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            Thread helper = Thread.ofPlatform().start(() -> {
                Loop l = running.join();
                l.submit(() -> event.set()).join();
            });
            boolean set = loop.run(() -> {
                running.complete(Weft.loop());
                Weft.withTimeout(Duration.ofSeconds(30), event::await);
                return event.isSet();
            });
            helper.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(set).isTrue();
        }
    }
}
