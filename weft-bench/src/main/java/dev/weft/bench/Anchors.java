package dev.weft.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the anchors of the side-by-side benchmarks (Debian's /usr/bin/python3 with asyncio, and its
 * python3-uvloop package), installs uvloop with apt-get when it is missing and we may, and otherwise
 * says clearly which anchor is skipped and why.
 */
final class Anchors {
    static final String PYTHON = "/usr/bin/python3";
    private final PrintStream log;

    Anchors(PrintStream log) {
        this.log = log;
    }

    boolean python(List<String> notes) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            notes.add("asyncio and uvloop skipped: " + PYTHON + " not found (apt-get install -y python3)");
            return false;
        }
        return true;
    }

    boolean uvloop(List<String> notes) throws InterruptedException {
        return module("uvloop", "python3-uvloop", notes);
    }

    boolean aiohttp(List<String> notes) throws InterruptedException {
        return module("aiohttp", "python3-aiohttp", notes);
    }

    /** Whether Python can import {@code module}; installs its Debian package if it can (as root). */
    private boolean module(String module, String debianPackage, List<String> notes) throws InterruptedException {
        if (ok(PYTHON, "-c", "import " + module)) {
            return true;
        }
        if (System.getenv("WEFT_BENCH_NO_INSTALL") == null && Files.isExecutable(Path.of("/usr/bin/apt-get"))
                && "root".equals(System.getProperty("user.name"))) {
            log.println("  installing " + debianPackage + " (Debian package) for the " + module + " anchor ...");
            if (!ok("/usr/bin/apt-get", "install", "-y", "-q", debianPackage)) {
                ok("/usr/bin/apt-get", "update", "-q");
                ok("/usr/bin/apt-get", "install", "-y", "-q", debianPackage);
            }
            if (ok(PYTHON, "-c", "import " + module)) {
                return true;
            }
        }
        notes.add(module + " skipped: " + debianPackage + " is not installed and could not be installed"
                + " (as root: apt-get install -y " + debianPackage + ")");
        return false;
    }

    private static boolean ok(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
