package dev.weft.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What happened to one URL of {@code weft fetch}.
 *
 * @param index the URL's place in the input
 * @param url the URL as given, without its {@code user:password@}
 * @param finalUrl the URL that answered (after redirects), shown the same way; empty without an answer
 * @param status the status, 0 without an answer
 * @param millis how long it took
 * @param bytes the body's bytes received
 * @param file where the body was saved ({@code -o}), if it was
 * @param redirect the {@code Location} of a redirect that was not followed, with why
 * @param error why there is no complete answer ({@code KIND: reason}), if there is none
 */
record FetchResult(int index, String url, Optional<String> finalUrl, int status, long millis, long bytes,
        Optional<Path> file, Optional<String> redirect, Optional<String> error) {
    /** A failure without an answer. */
    static FetchResult failed(int index, String url, long millis, String error) {
        return new FetchResult(index, url, Optional.empty(), 0, millis, 0, Optional.empty(), Optional.empty(),
                Optional.of(error));
    }

    /** Whether the URL answered 2xx, completely. */
    boolean ok() {
        return error.isEmpty() && status >= 200 && status < 300;
    }
}
