package dev.weft;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * Socket errors that name the address they concern: the JDK's say only "Connection refused" or
 * "Address already in use", which in a program with many connections says nothing of which one.
 */
final class NetErrors {
    private NetErrors() {}

    /**
     * {@code e} again, of the same type, with {@code what} (the operation and its address) before its
     * message and {@code e} as its cause; {@code e} itself if it is of another type.
     */
    static IOException naming(String what, IOException e) {
        String message = what + ": " + e.getMessage();
        IOException named = switch (e) {
            case BindException b -> new BindException(message);
            case ConnectException c -> new ConnectException(message);
            case NoRouteToHostException n -> new NoRouteToHostException(message);
            default -> e;
        };
        if (named != e) {
            named.initCause(e);
        }
        return named;
    }
}
