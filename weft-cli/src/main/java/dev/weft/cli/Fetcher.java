package dev.weft.cli;

import dev.weft.DeadlineExceededException;
import dev.weft.HttpClient;
import dev.weft.HttpException;
import dev.weft.HttpRequest;
import dev.weft.HttpStream;
import dev.weft.Weft;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches one URL of {@code weft fetch}: the body streams through one buffer to its file, or to
 * nowhere, so memory does not grow with the body, and stops at {@code --max-size}.
 */
final class Fetcher {
    /** The buffer of one fetch: the memory of a URL in flight, besides the client's own. */
    static final int BUFFER = 64 << 10;

    private final HttpClient http;
    private final Duration timeout;
    private final long maxSize;
    /** The statuses HttpClient follows as redirects. */
    private static final Set<Integer> FOLLOWED = Set.of(301, 302, 303, 307, 308);
    private final boolean follow;
    private final Optional<FetchFiles> files;

    Fetcher(HttpClient http, Duration timeout, long maxSize, boolean follow, Optional<FetchFiles> files) {
        this.http = http;
        this.timeout = timeout;
        this.maxSize = maxSize;
        this.follow = follow;
        this.files = files;
    }

    /** Fetches URL number {@code index}; never throws (but a cancellation). */
    FetchResult fetch(int index, String url) {
        long t0 = System.nanoTime();
        String shown = FetchText.withoutUserInfo(url);
        try (HttpStream s = http.stream(HttpRequest.get(url))) {
            if (files.isEmpty()) {
                long bytes = Weft.withTimeout(timeout, () -> copy(s, OutputStream.nullOutputStream()));
                return answered(index, shown, s, bytes, Optional.empty(), t0);
            }
            FetchFiles.Created file = files.get().create(index, url);
            long bytes = -1;
            try (OutputStream out = file.out()) {
                bytes = Weft.withTimeout(timeout, () -> copy(s, out));
            } finally {
                if (bytes < 0) {
                    Files.deleteIfExists(file.path()); // an incomplete body is not kept
                }
            }
            return answered(index, shown, s, bytes, Optional.of(file.path()), t0);
        } catch (HttpException e) {
            return FetchResult.failed(index, shown, millis(t0), e.kind() + ": " + e.reason());
        } catch (DeadlineExceededException e) {
            return FetchResult.failed(index, shown, millis(t0), "TIMEOUT: no complete answer within --timeout-ms "
                    + timeout.toMillis());
        } catch (IOException e) {
            return FetchResult.failed(index, shown, millis(t0), "SAVE: " + e.getMessage());
        }
    }

    /** The result of an answer whose body had {@code bytes} (-1: more than {@code --max-size}). */
    private FetchResult answered(int index, String shown, HttpStream s, long bytes, Optional<Path> file, long t0) {
        if (bytes < 0) {
            return FetchResult.failed(index, shown, millis(t0), "BODY_TOO_LARGE: the body passed --max-size "
                    + maxSize + " bytes");
        }
        return new FetchResult(index, shown, Optional.of(FetchText.withoutUserInfo(s.url().toString())), s.status(),
                millis(t0), bytes, file, notFollowed(s), Optional.empty());
    }

    /** Copies the body to {@code out}: its size, or -1 once it passes {@code maxSize}. */
    private long copy(HttpStream s, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n = s.read(buffer, 0, buffer.length); n >= 0; n = s.read(buffer, 0, buffer.length)) {
            total += n;
            if (total > maxSize) {
                return -1;
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    /** The Location of a redirect that is the answer, with why it was not followed. */
    private Optional<String> notFollowed(HttpStream s) {
        if (!FOLLOWED.contains(s.status())) {
            return Optional.empty(); // not a redirect the client follows (a 304, a 300): the answer itself
        }
        return s.headers().firstValue("location").map(location -> {
            String why;
            try {
                URI to = s.url().resolve(location.strip());
                String scheme = String.valueOf(to.getScheme()).toLowerCase(Locale.ROOT);
                why = !follow ? "--no-follow or --max-redirects 0"
                        : !(scheme.equals("http") || scheme.equals("https")) ? "not http(s)"
                        : to.getHost() == null ? "no host" : "from https to http";
            } catch (IllegalArgumentException e) {
                why = "not a URL";
            }
            return FetchText.withoutUserInfo(location) + " (not followed: " + why + ")";
        });
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
