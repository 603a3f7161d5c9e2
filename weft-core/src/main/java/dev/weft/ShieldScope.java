package dev.weft;


/** The cancel scope behind {@link Shield}: cancellation of the scopes around it does not reach inside. */
final class ShieldScope extends Scope implements Shield {

    public ShieldScope(Fiber<?> owner) {
        super(owner, true);
        open();
    }

    @Override
    public void close() {
        OwnedScopes.close(this, "Shield");
    }
}
