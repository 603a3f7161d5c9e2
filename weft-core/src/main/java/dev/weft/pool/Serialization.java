package dev.weft.pool;

import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/** Serializing work for a process pool, with an error that names what does not serialize. */
final class Serialization {
    private Serialization() {}

    /**
     * The serialized form of {@code work}.
     *
     * @throws IllegalArgumentException if it does not serialize, naming the class (and, for a lambda,
     *     which captured value) at fault
     */
    static byte[] of(Object work, String what) {
        try {
            return Frames.serialize(work);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(what + " cannot be sent to a worker: " + e.getMessage()
                    + " is not serializable" + culprit(work) + ". Make it Serializable, or capture (and pass) only"
                    + " serializable values", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be sent to a worker: " + e, e);
        }
    }

    /** Which captured value of a lambda (or of the function in a chunk) does not serialize, if it can tell. */
    private static String culprit(Object work) {
        Object fn = work instanceof Chunk<?, ?> c ? c.fn() : work;
        SerializedLambda lambda = serializedLambda(fn);
        if (lambda == null) {
            return "";
        }
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object captured = lambda.getCapturedArg(i);
            try {
                Frames.serialize(captured);
            } catch (IOException e) {
                return " (captured value #" + (i + 1) + ", a " + (captured == null ? "null" : captured.getClass().getName())
                        + ", of the lambda in " + lambda.getImplClass().replace('/', '.') + "." + lambda.getImplMethodName()
                        + ")";
            }
        }
        return "";
    }

    private static @Nullable SerializedLambda serializedLambda(Object fn) {
        try {
            Method m = fn.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m.invoke(fn) instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not a lambda, or not open to us: the class name alone
        }
    }
}
