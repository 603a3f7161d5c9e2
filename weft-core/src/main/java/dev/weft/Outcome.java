package dev.weft;

import java.util.Objects;

/**
 * How a task ended: with a value, with an exception, or cancelled. Used by
 * {@link Tasks#gatherOutcomes} and {@link Task#outcome()}; handle it with a pattern {@code switch}.
 *
 * @param <T> the type of the task's value
 */
public sealed interface Outcome<T> {

    /** The task returned {@code value} (which may be null). */
    record Success<T>(T value) implements Outcome<T> {}

    /** The task threw {@code exception}. */
    record Failure<T>(String taskName, Throwable exception) implements Outcome<T> {
        public Failure {
            Objects.requireNonNull(exception, "exception");
        }
    }

    /** The task was cancelled; {@code exception} says by whom and why. */
    record Cancelled<T>(String taskName, CancelledException exception) implements Outcome<T> {
        public Cancelled {
            Objects.requireNonNull(exception, "exception");
        }
    }

    /**
     * Returns the value, or throws: a {@link TaskFailedException} for a failure, a
     * {@link TaskCancelledException} for a cancellation (the task's {@link CancelledException} as its
     * cause). Neither counts as a cancellation of the caller.
     */
    default T get() {
        return switch (this) {
            case Success<T> s -> s.value();
            case Failure<T> f -> throw new TaskFailedException(f.taskName(), f.exception());
            case Cancelled<T> c -> throw new TaskCancelledException("task '" + c.taskName() + "'", c.exception());
        };
    }
}
