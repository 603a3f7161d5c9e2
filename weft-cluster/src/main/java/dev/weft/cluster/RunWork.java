package dev.weft.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.weft.pool.ClusterBackend;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A pool's serialized work, as Hazelcast ships it to a member; run there by
 * {@link ClusterBackend#runOnMember} with the member's class loader (the application's classes).
 */
final class RunWork implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] work;
    private transient @Nullable HazelcastInstance member;

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
}
