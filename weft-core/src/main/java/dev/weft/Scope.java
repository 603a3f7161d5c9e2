package dev.weft;

import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A node of a loop's cancel-scope tree (trio's {@code CancelScope}): a task's root, a cancel scope
 * or timeout, a task group's body, a shield, or the wait of a {@code TaskGroup.start}. A task's
 * scopes form a chain from its innermost scope to its root; a task spawned into a group hangs its
 * root under the group's scope, so cancelling a scope reaches every task below it. A shield stops
 * cancellation of the scopes above it from reaching below it.
 *
 * <p>Cancellation is level-triggered: once cancelled, a scope stays cancelled, and every suspension
 * point below it (up to a shield) throws. All methods run on the loop's turn.
 */
abstract class Scope {
    /** The task whose chain the scope is in; set when it is entered (a task is its own root). */
    @Nullable Fiber<?> owner;
    @Nullable Scope parent;
    private @Nullable Scope firstChild;
    private @Nullable Scope prevSibling;
    private @Nullable Scope nextSibling;
    boolean shield;
    boolean cancelled;
    /** Why the scope was cancelled; set with {@link #cancelled}. */
    String reason = "";

    Scope(@Nullable Fiber<?> owner, boolean shield) {
        this.owner = owner == null && this instanceof Fiber<?> f ? f : owner;
        this.shield = shield;
    }

    /** The owner of this scope, which must have been entered (only a cancel scope has none before). */
    final Fiber<?> enteredOwner() {
        Fiber<?> o = owner;
        if (o == null) {
            throw new IllegalStateException("the scope was never entered");
        }
        return o;
    }

    /**
     * The exception a suspension point of {@code fiber} throws because this scope is cancelled. The
     * owner of a timeout or group scope gets that scope's own exception; any other task gets a
     * {@link CancelledException}.
     */
    RuntimeException cancellationFor(Fiber<?> fiber) {
        return new CancelledException(fiber == owner ? reason : reason + " (in task '" + enteredOwner().name() + "')");
    }

    /** Cancels this scope and wakes every task waiting below it, shields excepted. Idempotent. */
    public final void cancelScope(String why) {
        if (cancelled) {
            return;
        }
        cancelled = true;
        reason = why;
        wakeBelow();
    }

    /**
     * Wakes every task waiting at or below this scope (up to the shields below it) that a
     * cancellation now reaches: after this scope was cancelled, unshielded, or moved under a
     * cancelled scope.
     */
    final void wakeBelow() {
        anyBelow(false, s -> {
            Fiber<?> o = s.owner;
            if (o != null) {
                o.wakeIfCancelled();
            }
            return false;
        });
    }

    /**
     * Whether {@code test} holds for this scope or one below it, visited depth first until it does;
     * below shields too if {@code throughShields}, else not into them.
     */
    private boolean anyBelow(boolean throughShields, java.util.function.Predicate<Scope> test) {
        ArrayDeque<Scope> todo = new ArrayDeque<>();
        todo.push(this);
        while (!todo.isEmpty()) {
            Scope s = todo.pop();
            if (test.test(s)) {
                return true;
            }
            for (Scope c = s.firstChild; c != null; c = c.nextSibling) {
                if (throughShields || !c.shield) {
                    todo.push(c);
                }
            }
        }
        return false;
    }

    /**
     * The first cancelled scope met going up from {@code from} (included), or null: the walk stops
     * after a shield, which cancellation above it does not cross.
     */
    static @Nullable Scope firstCancelled(@Nullable Scope from) {
        for (Scope s = from; s != null; s = s.parent) {
            if (s.cancelled) {
                return s;
            }
            if (s.shield) {
                return null;
            }
        }
        return null;
    }

    /**
     * Whether a cancellation that reached this scope's block stops here (trio's rule for a scope's
     * exit): this scope is cancelled and no cancellation of the scopes around it reaches past it, so
     * the cancellation thrown in the block was this scope's own.
     */
    final boolean catchesCancellation() {
        return cancelled && (shield || firstCancelled(parent) == null);
    }

    /** Whether this scope is cancelled by a failure (a task group's), not a cancellation. */
    boolean failed() {
        return false;
    }

    /** The deadline of this scope on the loop clock; {@code Long.MAX_VALUE} for none. */
    long deadlineNanos() {
        return Long.MAX_VALUE;
    }

    /** Called on the turn when {@code child}, a task whose root hangs under this scope, has ended. */
    void childFinished(Fiber<?> child) {}

    /** Called when this scope is closed; a timeout scope cancels its timer here. */
    void onClose() {}

    /** Links this scope under {@code p}. */
    final void attach(@Nullable Scope p) {
        parent = p;
        if (p != null) {
            nextSibling = p.firstChild;
            if (nextSibling != null) {
                nextSibling.prevSibling = this;
            }
            p.firstChild = this;
        }
    }

    /** Unlinks this scope from its parent. */
    final void detach() {
        Scope p = parent;
        if (p == null) {
            return;
        }
        if (prevSibling != null) {
            prevSibling.nextSibling = nextSibling;
        } else {
            p.firstChild = nextSibling;
        }
        if (nextSibling != null) {
            nextSibling.prevSibling = prevSibling;
        }
        prevSibling = null;
        nextSibling = null;
    }

    /**
     * Takes this scope, whose tasks have all ended, out of its owner's chain wherever it is in it:
     * the scopes opened inside it hang under its parent instead.
     */
    final void excise() {
        for (Scope c = firstChild; c != null;) {
            Scope next = c.nextSibling;
            c.detach();
            c.attach(parent);
            c = next;
        }
        Fiber<?> o = enteredOwner();
        if (o.innermost == this) {
            o.innermost = Objects.requireNonNull(parent, "a task's scopes have its root above them");
        }
        detach();
    }

    /** Whether a task that has not ended hangs anywhere below this scope (under a group opened inside it). */
    final boolean hasLiveTaskBelow() {
        return anyBelow(true, s -> s != this && s instanceof Fiber<?>); // an ended task is no longer linked
    }

    /** Opens this scope as the innermost scope of its owner, the current task. */
    final void open() {
        Fiber<?> o = enteredOwner();
        attach(o.innermost);
        o.innermost = this;
    }

    /** Closes this scope; it must be its owner's innermost one. */
    final void closeScope() {
        Fiber<?> o = enteredOwner();
        if (o.innermost != this) {
            throw new IllegalStateException(
                    "scopes must be closed in the reverse order they were opened: use try-with-resources");
        }
        o.innermost = Objects.requireNonNull(parent, "a task's scopes have its root above them");
        detach();
        onClose();
    }

    /** Runs {@code action} for each task whose root hangs directly under this scope, newest first. */
    final void forEachChildTask(java.util.function.Consumer<Fiber<?>> action) {
        for (Scope c = firstChild; c != null;) {
            Scope next = c.nextSibling;
            if (c instanceof Fiber<?> f) {
                action.accept(f);
            }
            c = next;
        }
    }

    /** Whether the scope is in its owner's chain of open scopes. */
    final boolean isOpen() {
        Fiber<?> o = owner;
        for (Scope s = o == null ? null : o.innermost; s != null && s.owner == o; s = s.parent) {
            if (s == this) {
                return true;
            }
        }
        return false;
    }
}
