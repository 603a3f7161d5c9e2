package dev.weft.pool;

import java.io.Serial;

/**
 * A member of a cluster pool left (or died) while it ran a task, and the task had no retry left
 * ({@link Pool.ClusterBuilder#retries}). The pool goes on with the other members.
 */
public final class MemberLostException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String member;

    MemberLostException(String member, String why) {
        super("member " + member + " was lost while it ran the task (" + why + "), and the task has no retry left");
        this.member = member;
    }

    /** The member's address. */
    public String member() {
        return member;
    }
}
