package dev.weft.bench.jmh;

import dev.weft.Task;
import dev.weft.Weft;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of handing the turn from one task to another: two Weft tasks yielding to each other on one
 * loop, beside the raw JDK ways of passing control between two virtual threads (a park/unpark baton,
 * a SynchronousQueue). Each invocation makes {@value #SWITCHES} hand-offs; the score is per hand-off.
 * Every fork opens {@code java.lang} to Weft, so its loop has a carrier thread of its own;
 * {@code weftYieldShared} runs the loop on the JDK's shared scheduler ({@code -Dweft.carrier=shared}); the
 * raw {@code OneCarrier} variants fork with {@code -Djdk.virtualThreadScheduler.parallelism=1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = HandoffBenchmark.OPENS)
public class HandoffBenchmark {
    static final int SWITCHES = 20_000;
    /** What every JVM of Weft's benchmarks (JMH forks, weft bench's children) adds: its loops' own carriers (decision 0030). */
    public static final String OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    private static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void weftYield() {
        yieldPingPong();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    @Fork(value = 1, jvmArgsAppend = {OPENS, "-Dweft.carrier=shared"})
    public void weftYieldShared() {
        yieldPingPong();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void rawParkUnparkBaton() throws InterruptedException {
        baton();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    @Fork(value = 1, jvmArgsAppend = ONE_CARRIER)
    public void rawParkUnparkBatonOneCarrier() throws InterruptedException {
        baton();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void synchronousQueue() throws InterruptedException {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < SWITCHES / 2; i++) {
                    pong.put(ping.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread me = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < SWITCHES / 2; i++) {
                    ping.put(i);
                    pong.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        me.join();
        other.join();
    }

    private static void yieldPingPong() {
        Weft.run(() -> {
            Task<Void> a = Weft.spawn(HandoffBenchmark::yields);
            Task<Void> b = Weft.spawn(HandoffBenchmark::yields);
            Weft.await(a);
            Weft.await(b);
        });
    }

    private static void yields() {
        for (int i = 0; i < SWITCHES / 2; i++) {
            Weft.yield();
        }
    }

    private static volatile int turn;

    private static void baton() throws InterruptedException {
        Thread[] t = new Thread[2];
        turn = 0;
        for (int k = 0; k < 2; k++) {
            int me = k;
            t[k] = Thread.ofVirtual().unstarted(() -> {
                for (int i = 0; i < SWITCHES / 2; i++) {
                    while (turn != me) {
                        LockSupport.park();
                    }
                    turn = 1 - me;
                    LockSupport.unpark(t[1 - me]);
                }
            });
        }
        t[0].start();
        t[1].start();
        t[0].join();
        t[1].join();
    }
}
