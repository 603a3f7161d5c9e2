package dev.weft.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * The protocol between a process pool and its workers, over the worker's standard input and output:
 * frames of a kind byte, a length and a payload (Java serialization).
 */
public final class Frames {
    private Frames() {}

    /** Parent to worker: run the payload (an initializer, or nothing) and answer {@link #READY}. */
    public static final byte INIT = 1;
    /** Parent to worker: run the payload, a job; answer {@link #OK} or {@link #FAILED}. */
    public static final byte TASK = 2;
    /** Parent to worker: exit. */
    public static final byte EXIT = 3;
    public static final byte READY = 10;
    /** Worker to parent: the payload is the job's result. */
    public static final byte OK = 11;
    /** Worker to parent: the payload is what the job (or the initializer) threw. */
    public static final byte FAILED = 12;

    /** One frame. */
    public record Frame(byte kind, byte[] payload) {}

    public static void write(DataOutputStream out, byte kind, byte[] payload) throws IOException {
        out.writeByte(kind);
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    /** The next frame; an {@link java.io.EOFException} when the other side is gone. */
    public static Frame read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return new Frame(kind, payload);
    }

    public static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    public static Object deserialize(byte[] payload) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            return in.readObject();
        }
    }
}
