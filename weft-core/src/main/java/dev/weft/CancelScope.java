package dev.weft;

import java.time.Duration;
import java.util.Optional;

/**
 * A block that can be cancelled as a whole — by hand with {@link #cancel()}, or when its deadline
 * passes — and that then ends quietly: trio's {@code CancelScope}. Every cancellation in Weft is a
 * cancel scope being cancelled: a task's own root scope ({@link Task#cancel}), a {@link TaskGroup}'s
 * scope, a {@link Timeout}, or one of these.
 *
 * <pre>{@code
 * CancelScope scope = CancelScope.create();
 * stopButton.onClick(scope::cancel);            // from any thread
 * scope.run(() -> serve(connection));           // returns when serve ends, or at once when cancelled
 * if (scope.cancelledCaught()) log("stopped by the user");
 *
 * Optional<Page> page = Weft.moveOnAfter(Duration.ofSeconds(2), () -> fetch(url)); // empty if too slow
 * }</pre>
 *
 * <p><b>Two forms.</b> The <em>move-on</em> form is {@link #run}, and {@link Weft#moveOnAfter} /
 * {@link Weft#moveOnAt} with a deadline: when the scope is cancelled, the block's current or next
 * suspension point throws a {@link CancelledException}, the block's code after it does not run, and
 * {@code run} catches it and returns normally, so the code after the block does. The <em>fail</em>
 * form is a {@link Timeout} ({@link Weft#timeout}): its cancellation is thrown as a
 * {@link DeadlineExceededException} that leaves the block, as trio's {@code fail_after} does.
 * (Java's {@code try}-with-resources cannot end a block quietly — {@code close()} cannot catch the
 * exception that leaves it — so the move-on form takes the block as a lambda.)
 *
 * <p><b>Cancellation.</b> Level-triggered: once cancelled, a scope stays cancelled, and every
 * suspension point inside it throws, until the block ends; task groups opened inside it are
 * cancelled with it. A block that reaches no suspension point after the cancellation is not
 * interrupted, and then {@link #cancelledCaught()} stays false. When scopes are nested and several
 * are cancelled, the outermost cancelled one catches the cancellation and the inner ones let it
 * through (trio's rule), so the code after an inner block does not run when an outer one is
 * cancelled. A shielded scope ({@link #shield(boolean)}) is not reached by the cancellation of the
 * scopes around it, but is by its own.
 *
 * <p><b>Deadlines</b> are instants of the loop clock ({@link Deadline}). A deadline at or
 * before now cancels the scope at once; a zero or negative delay means now (asyncio's rule). Once
 * the scope is cancelled, its deadline can no longer be moved.
 *
 * <p>A scope is entered once: by {@link #run}, or when it is opened ({@link Weft#timeout}). It
 * belongs to the loop of the task that created it. {@link #cancel()} may be called from any thread;
 * the other methods must be called by tasks of its loop.
 */
public interface CancelScope {

    /**
     * A new scope, not yet entered, with no deadline and no shield; enter it with {@link #run}. It
     * may be cancelled, shielded or given a deadline before it is entered.
     *
     * @throws IllegalStateException if not called from a task
     */
    static CancelScope create() {
        return DeadlineScope.create(Waits.current("CancelScope.create"));
    }

    /**
     * Runs {@code body} in this scope, the current task's innermost while it runs, and returns its
     * value. If this scope's cancellation ends the body early, returns empty (and
     * {@link #cancelledCaught()} turns true); a cancellation of an enclosing scope, or any other
     * exception, propagates.
     *
     * @return the body's value, or empty if the body was cancelled by this scope (or returned null)
     * @throws IllegalStateException if the scope was already entered, or belongs to another loop
     */
    <T, X extends Throwable> Optional<T> run(Body<T, X> body) throws X;

    /**
     * Runs {@code body}, which returns nothing, in this scope; see {@link #run(Body)}.
     *
     * @return true if the body ran to its end, false if this scope's cancellation ended it early
     */
    <X extends Throwable> boolean run(Action<X> body) throws X;

    /**
     * Cancels the scope: its current or next suspension point throws (at once, if the scope is
     * entered and its task waits). Idempotent. May be called from any thread; off the loop it takes
     * effect on the loop, at its next switch.
     */
    void cancel();

    /** {@link #cancel()}, with a reason that the cancellation's message gives. */
    void cancel(String reason);

    /** Whether the scope was cancelled, by hand or because its deadline passed. */
    boolean cancelCalled();

    /**
     * Whether the scope's cancellation ended its block: {@link #run} caught it, or a {@link Timeout}
     * threw its {@link DeadlineExceededException}. False while the block runs on, and when the
     * block finished before reaching a suspension point.
     */
    boolean cancelledCaught();

    /**
     * The deadline, or empty for none.
     *
     * @throws IllegalStateException if the scope was given a delay and has not been entered yet (the
     *     delay counts from its entry)
     */
    Optional<Deadline> deadline();

    /**
     * Moves the deadline to {@code delay} from now, or, for a scope not yet entered, from when it is
     * entered (trio's rule); zero or negative means now.
     *
     * @throws IllegalStateException if the scope has been cancelled or has ended
     */
    void reschedule(Duration delay);

    /**
     * Moves the deadline to {@code deadline}; one already passed cancels the scope (at once if it is
     * entered).
     *
     * @throws IllegalStateException if the scope has been cancelled or has ended
     * @throws IllegalArgumentException if {@code deadline} is on the clock of another loop or run
     */
    void rescheduleAt(Deadline deadline);

    /**
     * Removes the deadline.
     *
     * @throws IllegalStateException if the scope has been cancelled or has ended
     */
    void removeDeadline();

    /** Whether the scope is shielded from the cancellation of the scopes around it. */
    boolean isShielded();

    /**
     * Shields the scope from the cancellation of the scopes around it, or stops shielding it. Turning
     * the shield off while an enclosing scope is cancelled makes the block's current or next
     * suspension point throw. Keep shielded work short and bounded (give the scope a deadline).
     */
    void shield(boolean on);
}
