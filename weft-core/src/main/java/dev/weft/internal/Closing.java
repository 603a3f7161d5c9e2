package dev.weft.internal;

import java.io.Closeable;
import java.io.IOException;

/** Closing what is being dropped or aborted, where a failure to close leaves nothing more to do. */
public final class Closing {
    private Closing() {}

    public static void quietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // dropping or aborting it: nothing more to do
        }
    }
}
