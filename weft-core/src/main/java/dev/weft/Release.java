package dev.weft;

import org.jspecify.annotations.Nullable;

/** A {@link Permit} that runs its release once. */
final class Release implements Permit {
    private @Nullable Runnable release;

    Release(Runnable release) {
        this.release = release;
    }

    @Override
    public void close() {
        Runnable r = release;
        if (r != null) {
            r.run();
            release = null; // only once it worked: a failed release (by the wrong task) can be retried
        }
    }
}
