package dev.weft;

/**
 * Why a task gave up the loop's turn: the kind of thing it waits for. Tools group waiting time by it
 * (the trace's wait slices, the advisor's "waiting by reason", {@code weft ps}); the exact thing a
 * task waits for, for people, is {@link Task#waitingFor()}.
 */
public enum WaitReason {
    /** The loop clock: a sleep, or a timeout with nothing else to wait for. */
    SLEEP("sleep"),
    /** Bytes to read from a connection (a socket, a TLS session, an HTTP body). */
    READ("read"),
    /** Room to write to a connection. */
    WRITE("write"),
    /** A connection being made: connecting, a TLS handshake. */
    CONNECT("connect"),
    /** A connection to accept. */
    ACCEPT("accept"),
    /** A {@link Lock}. */
    LOCK("lock"),
    /** A {@link Semaphore} or a {@link CapacityLimiter}. */
    SEMAPHORE("semaphore"),
    /** A {@link Condition}. */
    CONDITION("condition"),
    /** An {@link Event}. */
    EVENT("event"),
    /** A {@link Barrier}. */
    BARRIER("barrier"),
    /** A {@link Queue}: an item to take, room to put, or the queue to be joined. */
    QUEUE("queue"),
    /** A {@link Channel}, or a {@link Select} over channels. */
    CHANNEL("channel"),
    /** A future completed outside the loop. */
    FUTURE("future"),
    /** A result of a {@code Pool}. */
    POOL("pool"),
    /** Another task to end (or, in {@link TaskGroup#start}, to report that it started). */
    TASK("task"),
    /** The children of a task group to end. */
    TASK_GROUP("task group"),
    /** A blocking call running on another thread ({@link Weft#toThread}). */
    TO_THREAD("toThread"),
    /** Nothing: the task yielded and is ready again. */
    YIELD("yield"),
    /** Anything else (a test's wait for every task to block, say). */
    OTHER("other");

    private final String label;

    WaitReason(String label) {
        this.label = label;
    }

    /** A short lower-case name for reports and traces: {@code "sleep"}, {@code "lock"}, {@code "toThread"}. */
    public String label() {
        return label;
    }
}
