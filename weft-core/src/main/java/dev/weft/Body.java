package dev.weft;

/**
 * Code that returns a value and may throw {@code X}: a task's body, or a block run under a timeout,
 * a shield or a task group. Exception transparency: the compiler infers {@code X} from the lambda,
 * so {@code Weft.run(() -> Files.readString(p))} throws {@code IOException} and a body that throws
 * nothing checked throws nothing checked.
 */
@FunctionalInterface
public interface Body<T, X extends Throwable> {
    /** Runs the code and returns its value. */
    T run() throws X;
}
