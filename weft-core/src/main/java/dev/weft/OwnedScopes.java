package dev.weft;

/** Checks shared by the scopes a task opens and closes with try-with-resources. */
final class OwnedScopes {
    private OwnedScopes() {}

    /** Closes {@code s}, idempotently, if the caller is its owner; else says who must. */
    static void close(Scope s, String what) {
        if (Fiber.current() != s.owner) {
            throw new IllegalStateException("a " + what + " must be closed by the task that opened it ("
                    + s.owner + "), in the reverse order of opening: use try-with-resources");
        }
        if (s.isOpen()) {
            s.closeScope();
        }
    }
}
