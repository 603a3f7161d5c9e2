package dev.weft;

/**
 * A task ended by throwing: thrown by {@link Weft#await(Task)}, {@link Task#resultNow()} and
 * {@link TaskGroup#join()}, with the task's own exception (and its stack) as the cause.
 *
 * <p>When several tasks of a group failed, the first failure is the thrown exception and the
 * others are attached to it as {@linkplain #getSuppressed() suppressed} exceptions, each a
 * {@code TaskFailedException} naming its own task; none is dropped.
 */
public final class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String taskName;

    /** Creates the exception for the task named {@code taskName} that threw {@code cause}. */
    public TaskFailedException(String taskName, Throwable cause) {
        super("task '" + taskName + "' failed: " + cause, cause);
        this.taskName = taskName;
    }

    /** The name of the task that failed. */
    public String taskName() {
        return taskName;
    }
}
