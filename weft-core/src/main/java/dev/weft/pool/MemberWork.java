package dev.weft.pool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The member's side of a cluster pool ({@link ClusterBackend#runOnMember}): work in, answer out, both
 * Java serialization; an answer is a kind byte ({@link Frames#OK} or {@link Frames#FAILED}) and the
 * result or the failure.
 */
final class MemberWork {
    private MemberWork() {}

    static final String VERSION = version();

    private static String version() {
        try (InputStream in = MemberWork.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            p.load(Objects.requireNonNull(in, "dev/weft/pool/version.properties, a resource of weft-core"));
            return Objects.requireNonNull(p.getProperty("version"), "version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] run(byte[] work, ClassLoader loader, String member) {
        byte kind = Frames.OK;
        byte[] payload;
        try {
            payload = Frames.serialize(((Job<?>) Objects.requireNonNull(read(work, loader, member), "job")).call());
        } catch (Throwable t) { // the job's failure, or a result that does not serialize
            kind = Frames.FAILED;
            payload = failure(t);
        }
        byte[] answer = new byte[payload.length + 1];
        answer[0] = kind;
        System.arraycopy(payload, 0, answer, 1, payload.length);
        return answer;
    }

    private static byte[] failure(Throwable t) {
        try {
            return PoolWorker.serializeFailure(t);
        } catch (IOException e) { // not even its stand-in serializes: cannot happen with the JDK's classes
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable Object read(byte[] work, ClassLoader loader, String member) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(work)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc); // a primitive type's, or missing here too
                }
            }
        }) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("class " + e.getMessage() + " of the task is not on the class path of member "
                    + member + ": members run the application's classes, give them to its weft worker with --classpath"
                    + " (the community edition cannot ship code)");
        }
    }

    /** The result of an answer of {@link #run}, or its failure thrown as it was. */
    static @Nullable Object result(byte[] answer) throws Throwable {
        Object value = Frames.deserialize(Arrays.copyOfRange(answer, 1, answer.length));
        if (answer[0] == Frames.OK) {
            return value;
        }
        throw (Throwable) Objects.requireNonNull(value, "a failure");
    }
}
