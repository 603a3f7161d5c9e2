package dev.weft.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Where {@code weft fetch -o DIR} saves bodies. Each file is created new ({@code CREATE_NEW}: never
 * through a link planted in DIR, never over an existing file); a name already taken, by a previous
 * run or anything else, gets a suffix ({@code .1}, {@code .2}...). Names never hold the URL's
 * {@code user:password@}.
 */
final class FetchFiles {
    /** Tries of suffixes before giving up on a name. */
    private static final int SUFFIXES = 1000;

    private final Path dir;

    private FetchFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * The directory, created if missing.
     *
     * @throws IOException if it cannot be: a file is there, or the path is impossible
     */
    static FetchFiles in(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir + " is not a directory");
        }
        Files.createDirectories(dir);
        return new FetchFiles(dir);
    }

    /** A path and its stream, open for writing, of a new file for the body of URL {@code index}. */
    record Created(Path path, OutputStream out) {}

    /** Creates the file of URL number {@code index}. */
    Created create(int index, String url) throws IOException {
        String base = name(index, url);
        for (int n = 0; n < SUFFIXES; n++) {
            Path p = dir.resolve(n == 0 ? base : base + "." + n);
            try {
                return new Created(p, Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS));
            } catch (FileAlreadyExistsException e) {
                // taken (a file, or a link planted there): the next suffix
            }
        }
        throw new FileAlreadyExistsException(dir.resolve(base) + " and its " + SUFFIXES + " suffixed names exist");
    }

    /** {@code 00042-host_port_path}: the URL without scheme and user information, in safe characters. */
    static String name(int index, String url) {
        String safe = FetchText.withoutUserInfo(url).replaceAll("^[a-zA-Z][a-zA-Z0-9+.-]*://", "")
                .replaceAll("[^A-Za-z0-9._-]+", "_");
        return String.format(Locale.ROOT, "%05d-%s", index, safe.length() > 100 ? safe.substring(0, 100) : safe);
    }
}
