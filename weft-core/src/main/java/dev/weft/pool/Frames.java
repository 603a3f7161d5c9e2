package dev.weft.pool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The protocol between a process pool and its workers, over the worker's standard input and output:
 * frames of a magic number, a kind byte, a length, a payload (Java serialization) and a checksum.
 * Whatever else comes on the stream (output written to the worker's file descriptor 1 by native code
 * or JVM logging) is skipped and handed on as stray output.
 */
final class Frames {
    private Frames() {}

    /**
     * Parent to worker: answer {@link #STARTED}, then run the payload (an initializer, or nothing) and
     * answer {@link #READY}.
     */
    static final byte INIT = 1;
    /** Parent to worker: run the payload, a job; answer {@link #OK} or {@link #FAILED}. */
    static final byte TASK = 2;
    /** Parent to worker: exit. */
    static final byte EXIT = 3;
    /** Worker to parent: its JVM is up and the initializer starts now (its time limit starts here). */
    static final byte STARTED = 9;
    /** Worker to parent: the initializer has run, the worker is ready for tasks. */
    static final byte READY = 10;
    /** Worker to parent: the payload is the job's result. */
    static final byte OK = 11;
    /** Worker to parent: the payload is what the job (or the initializer) threw. */
    static final byte FAILED = 12;

    /** One frame: its kind and its payload. */
    static final class Frame {
        private final byte kind;
        private final byte[] payload;

        Frame(byte kind, byte[] payload) {
            this.kind = kind;
            this.payload = payload;
        }

        byte kind() {
            return kind;
        }

        byte[] payload() {
            return payload;
        }
    }

    /** Starts every frame: what comes before it is not the protocol (see {@link #read}). */
    private static final int MAGIC = 0x57_45_46_54; // "WEFT"
    /** The largest payload accepted: a bigger length is a corrupt frame. */
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - 8;

    static void write(DataOutputStream out, byte kind, byte[] payload) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(payload);
        out.writeInt(MAGIC);
        out.writeByte(kind);
        out.writeInt(payload.length);
        out.write(payload);
        out.writeInt((int) crc.getValue());
        out.flush();
    }

    /**
     * The next frame. Bytes before it that are not a frame (a worker's standard output also gets what
     * native code or the JVM's own logging writes there) go to {@code stray}, byte by byte.
     *
     * @throws java.io.EOFException when the other side is gone
     * @throws IOException if the frame is corrupt (a bad length or checksum)
     */
    static Frame read(DataInputStream in, IntConsumer stray) throws IOException {
        int window = 0;
        int seen = 0;
        for (;;) {
            int b = in.readUnsignedByte();
            window = (window << 8) | b;
            if (++seen >= 4 && window == MAGIC) {
                break;
            }
            if (seen >= 4) {
                stray.accept(window >>> 24 & 0xff); // the oldest byte of the window was not a frame's start
            }
        }
        byte kind = in.readByte();
        int length = in.readInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("corrupt frame: a payload of " + length + " bytes");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        CRC32 crc = new CRC32();
        crc.update(payload);
        if (in.readInt() != (int) crc.getValue()) {
            throw new IOException("corrupt frame: its checksum does not match");
        }
        return new Frame(kind, payload);
    }

    static byte[] serialize(@Nullable Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    static @Nullable Object deserialize(byte[] payload) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            return in.readObject();
        }
    }
}
