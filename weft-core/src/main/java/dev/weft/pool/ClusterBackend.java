package dev.weft.pool;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What runs a {@link Pool#cluster()} pool's work on the members of a cluster: the service that the
 * {@code weft-cluster} module provides (on Hazelcast), found with {@link java.util.ServiceLoader}.
 * Applications use {@code Pool.cluster()}, not this; it is public only so that the backend, another
 * module, can implement it.
 *
 * <p>The pool does the rest: its queue, chunks, retries, time limits, and the choice of member (the
 * one with the most free threads). A backend connects, reports the members able to run work as they
 * come and go, and ships serialized work to the member the pool names, which runs it with
 * {@link #runOnMember}.
 */
public interface ClusterBackend {
    /**
     * Connects to the cluster {@code settings} describe (joining it as a client, or starting a member
     * in this JVM when there are no addresses), and tells {@code members} of every member able to run
     * work, those there now included, before it returns or as they come and go.
     *
     * @throws IllegalStateException if it cannot within {@link Settings#memberWait}, saying why
     */
    Connection connect(Settings settings, Members members);

    /**
     * How to reach the cluster.
     *
     * @param clusterName the cluster's name; empty for an embedded member of a cluster of its own
     * @param addresses host:port of members to join as a client; empty: start a member in this JVM
     * @param threads the worker threads of a member started in this JVM
     * @param memberWait how long to wait for a member
     */
    record Settings(Optional<String> clusterName, List<String> addresses, int threads, Duration memberWait) {
        /** Checks and copies. */
        public Settings {
            Objects.requireNonNull(clusterName, "clusterName");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(memberWait, "memberWait");
        }
    }

    /**
     * A member able to run work.
     *
     * @param id unique for the life of the cluster
     * @param name what people call it: its address
     * @param threads how many pieces of work it runs at once
     */
    record Member(String id, String name, int threads) {
        /** Checks. */
        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** Told of the members as they come and go; called from the backend's threads. */
    interface Members {
        void joined(Member member);

        /** {@code member} has gone; its work in flight will not answer. {@code why} says how it went. */
        void left(Member member, String why);
    }

    /** A connection to the cluster. */
    interface Connection extends AutoCloseable {
        /**
         * Runs {@code work} (from the pool) on {@code member}; the future completes with the answer of
         * {@link #runOnMember}, or fails if the work did not reach the member or the member went. It
         * completes on a thread where the pool may take the answer in (deserialize it, complete its
         * own futures), never on one of the cluster's network or partition threads.
         * Cancelling the future interrupts the work on the member, if it runs.
         */
        CompletableFuture<byte[]> run(Member member, byte[] work);

        /** Leaves the cluster (and stops the member this JVM runs, if any); idempotent. */
        @Override
        void close();
    }

    /**
     * Runs {@code work} on a member: what {@link Connection#run} was given, with the member's class
     * loader, answering the result or the failure for the pool, serialized. A class of the work that
     * {@code loader} lacks is a failure that names the class and {@code member}.
     */
    static byte[] runOnMember(byte[] work, ClassLoader loader, String member) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(member, "member");
        return MemberWork.run(work, loader, member);
    }

    /** This Weft's version: members of one cluster must all run the same. */
    static String weftVersion() {
        return MemberWork.VERSION;
    }
}
