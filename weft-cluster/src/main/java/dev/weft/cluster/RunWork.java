package dev.weft.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.weft.pool.ClusterBackend;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A pool's serialized work, as Hazelcast ships it to a member; run there by
 * {@link ClusterBackend#runOnMember} with the member's class loader (the application's classes).
 * Written as Hazelcast's own types are ({@link IdentifiedDataSerializable}: the bytes alone, no
 * class descriptor to write and resolve), which Weft's members and clients know from {@link #FACTORY}.
 */
final class RunWork implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
    /** The id of Weft's factory among the cluster's serializers. */
    static final int FACTORY_ID = 0x5745; // "WE"
    private static final int CLASS_ID = 1;
    /** Makes the types of {@link #FACTORY_ID}. */
    static final DataSerializableFactory FACTORY = id -> id == CLASS_ID ? new RunWork() : null;

    private byte[] work;
    private transient @Nullable HazelcastInstance member;

    /** For {@link #FACTORY}: the work is read next. */
    private RunWork() {
        this(new byte[0]);
    }

    RunWork(byte[] work) {
        this.work = work;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public byte[] call() {
        HazelcastInstance m = Objects.requireNonNull(member, "the member, set by Hazelcast before the call");
        ClassLoader loader = Objects.requireNonNullElse(m.getConfig().getClassLoader(), RunWork.class.getClassLoader());
        return ClusterBackend.runOnMember(work, loader, Members.name(m.getCluster().getLocalMember()));
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(work);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        work = Objects.requireNonNull(in.readByteArray(), "the work");
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }
}
