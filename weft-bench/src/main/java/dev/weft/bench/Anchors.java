package dev.weft.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The anchors of the side-by-side benchmarks: Debian's {@code python3} with asyncio, and its
 * {@code python3-uvloop} and {@code python3-aiohttp} packages. A missing anchor is installed with
 * apt-get only when the user asked for it ({@code --install-anchors}); otherwise it is skipped with a
 * note giving {@link #INSTALL}, the exact command that installs it.
 */
public final class Anchors {
    /** The command that installs every anchor. */
    public static final String INSTALL = "sudo apt-get install -y python3-uvloop python3-aiohttp";
    static final String PYTHON = "/usr/bin/python3";

    private final String python;
    private final boolean install;
    private final PrintStream log;

    /** Anchors run by Debian's {@code /usr/bin/python3}; missing ones installed only if {@code install}. */
    public Anchors(boolean install, PrintStream log) {
        this(PYTHON, install, log);
    }

    Anchors(String python, boolean install, PrintStream log) {
        this.python = python;
        this.install = install;
        this.log = log;
    }

    /** The interpreter that runs the anchors. */
    String interpreter() {
        return python;
    }

    /** Whether the interpreter is there (asyncio comes with it); if not, a note says so. */
    boolean python(List<String> notes) throws InterruptedException {
        if (Files.isExecutable(Path.of(python)) || (install && installed("python3") && Files.isExecutable(Path.of(python)))) {
            return true;
        }
        notes.add("asyncio and uvloop skipped: " + python + " not found; install it with: sudo apt-get install -y python3"
                + " (or run again with --install-anchors)");
        return false;
    }

    boolean uvloop(List<String> notes) throws InterruptedException {
        return module("uvloop", "python3-uvloop", notes);
    }

    boolean aiohttp(List<String> notes) throws InterruptedException {
        return module("aiohttp", "python3-aiohttp", notes);
    }

    /** The versions of the interpreter and of each anchor module ("not installed" for a missing one). */
    Map<String, String> versions() throws InterruptedException {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("python", output(python, "-c", "import platform; print(platform.python_version())").orElse("not installed"));
        for (String module : List.of("uvloop", "aiohttp")) {
            v.put(module, output(python, "-c", "import " + module + "; print(" + module + ".__version__)")
                    .orElse("not installed"));
        }
        return v;
    }

    /** Whether Python can import {@code module}; installs its Debian package first if asked to. */
    private boolean module(String module, String debianPackage, List<String> notes) throws InterruptedException {
        if (imports(module) || (install && installed(debianPackage) && imports(module))) {
            return true;
        }
        notes.add(module + " skipped: " + debianPackage + " is not installed; install the anchors with: " + INSTALL
                + (install ? " (--install-anchors tried and failed)" : " (or run again with --install-anchors)"));
        return false;
    }

    private boolean imports(String module) throws InterruptedException {
        return output(python, "-c", "import " + module).isPresent();
    }

    /** Installs a Debian package with apt-get (through sudo unless root); whether apt-get succeeded. */
    private boolean installed(String debianPackage) throws InterruptedException {
        log.println("  installing " + debianPackage + " (Debian package), as --install-anchors asks ...");
        List<String> sudo = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo", "-n");
        if (run(sudo, "apt-get", "install", "-y", "-q", debianPackage)) {
            return true;
        }
        return run(sudo, "apt-get", "update", "-q") && run(sudo, "apt-get", "install", "-y", "-q", debianPackage);
    }

    private static boolean run(List<String> prefix, String... command) throws InterruptedException {
        List<String> c = new ArrayList<>(prefix);
        c.addAll(List.of(command));
        return output(c.toArray(String[]::new)).isPresent();
    }

    /** The first line a command prints ("" if none) when it exits with 0 within 5 minutes; empty otherwise. */
    private static Optional<String> output(String... command) throws InterruptedException {
        try {
            // to a file, not read from a pipe: reading would wait for the end of the output, and the time
            // limit would never apply to a command that hangs (apt-get waiting for dpkg's lock)
            Path out = Files.createTempFile("weft-anchor", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                return p.exitValue() == 0 ? Optional.of(text.lines().findFirst().orElse("").strip()) : Optional.empty();
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
