package dev.weft.cluster;

import com.hazelcast.cluster.Member;
import dev.weft.pool.ClusterBackend;
import java.util.Optional;

/** What Weft makes of a Hazelcast member. */
final class Members {
    private Members() {}

    /** Its address, host:port. */
    static String name(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    /**
     * The member as a pool's worker, if it is one: a Weft worker (it has threads for the pool) of
     * this Weft's version; else why not.
     */
    static Optional<ClusterBackend.Member> worker(Member m) {
        String threads = m.getAttribute(Configs.THREADS);
        if (m.isLiteMember() || threads == null || !ClusterBackend.weftVersion().equals(m.getAttribute(Configs.VERSION))) {
            return Optional.empty();
        }
        return Optional.of(new ClusterBackend.Member(m.getUuid().toString(), name(m), Integer.parseInt(threads)));
    }

    /** Why {@code m} is not a worker of this Weft (for a member {@link #worker} refused). */
    static String refusal(Member m) {
        String version = m.getAttribute(Configs.VERSION);
        if (version == null) {
            return "member " + name(m) + " is not a Weft worker (started without weft worker): it gets no work";
        }
        return "member " + name(m) + " runs Weft " + version + ", this JVM Weft " + ClusterBackend.weftVersion()
                + ": it gets no work; run one Weft version across the cluster";
    }
}
