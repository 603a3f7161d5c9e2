package dev.weft.bench.jmh;

import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Passing items from one producer to one consumer: a Weft {@link Channel} between two tasks of a
 * loop, beside the JDK's blocking queues between two virtual threads (as Jox benchmarks its channels
 * beside {@code SynchronousQueue}). Each invocation passes {@value #ITEMS} items; the score is per
 * item.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = HandoffBenchmark.OPENS)
public class ChannelBenchmark {
    static final int ITEMS = 20_000;
    static final int CAPACITY = 16;

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void weftRendezvous() {
        channel(Channel.rendezvous());
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void weftBuffered16() {
        channel(Channel.buffered(CAPACITY));
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void synchronousQueue() throws InterruptedException {
        blocking(new SynchronousQueue<>());
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void arrayBlockingQueue16() throws InterruptedException {
        blocking(new ArrayBlockingQueue<>(CAPACITY));
    }

    private static void channel(Channel<Integer> ch) {
        Weft.run(() -> {
            Task<Void> consumer = Weft.spawn(() -> {
                for (int i = 0; i < ITEMS; i++) {
                    ch.receive();
                }
            });
            for (int i = 0; i < ITEMS; i++) {
                ch.send(i);
            }
            Weft.await(consumer);
        });
    }

    private static void blocking(BlockingQueue<Integer> q) throws InterruptedException {
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) {
                    q.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) {
                    q.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.join();
        consumer.join();
    }
}
