package dev.weft.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * The main class of a process pool's worker: runs the jobs its parent sends on standard input, one at
 * a time, and answers on standard output (what the jobs print goes to standard error). Exits at once
 * when its standard input ends: the parent closed it or died, so no worker outlives its pool.
 */
public final class PoolWorker {
    private PoolWorker() {}

    public static void main(String[] args) throws Exception {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(System.err); // standard output carries the protocol
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        BlockingQueue<Frames.Frame> inbox = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("weft-worker-stdin").start(() -> {
            try {
                for (;;) {
                    inbox.add(Frames.read(in, b -> { })); // the parent writes only frames
                }
            } catch (IOException e) {
                Runtime.getRuntime().halt(0); // the parent is gone, even in the middle of a job
            }
        });
        for (;;) {
            Frames.Frame f = inbox.take();
            switch (f.kind()) {
                case Frames.INIT -> {
                    Frames.write(out, Frames.STARTED, new byte[0]);
                    answer(out, f.payload(), Frames.READY);
                }
                case Frames.TASK -> answer(out, f.payload(), Frames.OK);
                case Frames.EXIT -> {
                    out.flush();
                    System.exit(0);
                }
                default -> throw new IllegalStateException("unknown frame kind " + f.kind());
            }
        }
    }

    /** Runs the job in {@code payload} (none: nothing) and answers {@code success} with its result, or FAILED. */
    private static void answer(DataOutputStream out, byte[] payload, byte success) throws IOException {
        byte[] reply;
        byte kind = success;
        try {
            @Nullable Object result = payload.length == 0 ? null : ((Job<?>) Objects.requireNonNull(Frames.deserialize(payload), "job")).call();
            reply = Frames.serialize(result);
        } catch (Throwable t) { // the job's failure, or a result that does not serialize
            kind = Frames.FAILED;
            reply = serializeFailure(t);
        }
        Frames.write(out, kind, reply);
    }

    static byte[] serializeFailure(Throwable t) throws IOException {
        try {
            return Frames.serialize(t);
        } catch (IOException notSerializable) {
            return Frames.serialize(WorkerException.of(t)); // it, or what it holds, does not serialize
        }
    }
}
