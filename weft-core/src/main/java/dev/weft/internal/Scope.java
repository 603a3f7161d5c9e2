package dev.weft.internal;

import dev.weft.CancelledException;
import java.util.ArrayDeque;

/**
 * A node of a loop's cancel-scope tree (trio's {@code CancelScope}): a task's root, a timeout, a task
 * group's body or a shield. A task's scopes form a chain from its innermost scope to its root; a
 * task spawned into a group hangs its root under the group's scope, so cancelling a scope reaches
 * every task below it. A shield stops cancellation of the scopes above it from reaching below it.
 *
 * <p>Cancellation is level-triggered: once cancelled, a scope stays cancelled, and every suspension
 * point below it (up to a shield) throws. All methods run on the loop's turn.
 */
public abstract class Scope {
    final Fiber<?> owner;
    Scope parent;
    private Scope firstChild;
    private Scope prevSibling;
    private Scope nextSibling;
    final boolean shield;
    boolean cancelled;
    String reason;

    Scope(Fiber<?> owner, boolean shield) {
        this.owner = owner == null ? (Fiber<?>) this : owner;
        this.shield = shield;
    }

    /** Whether {@link #cancelScope} was called (or the deadline of a timeout passed). */
    public final boolean cancelCalled() {
        return cancelled;
    }

    /**
     * The exception a suspension point of {@code fiber} throws because this scope is cancelled. The
     * owner of a timeout or group scope gets that scope's own exception; any other task gets a
     * {@link CancelledException}.
     */
    RuntimeException cancellationFor(Fiber<?> fiber) {
        return new CancelledException(fiber == owner ? reason : reason + " (in task '" + owner.name() + "')");
    }

    /** Cancels this scope and wakes every task waiting below it, shields excepted. Idempotent. */
    public final void cancelScope(String why) {
        if (cancelled) {
            return;
        }
        cancelled = true;
        reason = why;
        ArrayDeque<Scope> todo = new ArrayDeque<>();
        todo.push(this);
        while (!todo.isEmpty()) {
            Scope s = todo.pop();
            s.owner.wakeIfCancelled();
            for (Scope c = s.firstChild; c != null; c = c.nextSibling) {
                if (!c.shield) {
                    todo.push(c);
                }
            }
        }
    }

    /** Called on the turn when {@code child}, a task whose root hangs under this scope, has ended. */
    void childFinished(Fiber<?> child) {}

    /** Called when this scope is closed; a timeout scope cancels its timer here. */
    void onClose() {}

    /** Links this scope under {@code p}. */
    final void attach(Scope p) {
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

    /** Opens this scope as the innermost scope of its owner, the current task. */
    final void open() {
        attach(owner.innermost);
        owner.innermost = this;
    }

    /** Closes this scope; it must be its owner's innermost one. */
    final void closeScope() {
        if (owner.innermost != this) {
            throw new IllegalStateException(
                    "scopes must be closed in the reverse order they were opened: use try-with-resources");
        }
        owner.innermost = parent;
        detach();
        onClose();
    }

    /** Runs {@code action} for each task whose root hangs directly under this scope. */
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
        for (Scope s = owner.innermost; s != null && s.owner == owner; s = s.parent) {
            if (s == this) {
                return true;
            }
        }
        return false;
    }
}
