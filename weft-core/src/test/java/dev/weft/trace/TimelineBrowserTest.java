package dev.weft.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML timeline opened in a real headless Chromium, with the network blocked: the DOM its script
 * built is read back. Without Chromium the test installs Debian's package when it may (as root, or
 * with sudo needing no password), else it is skipped saying why on stderr.
 */
class TimelineBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern LANE = Pattern.compile("<g class=\"lane\" data-track=\"([^\"]*)\"");
    private static final Pattern SLICE = Pattern.compile("<rect class=\"slice (run|wait|ready|work|mark)\\b");

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES) // an install of Chromium may take a while
    void theBrowserDrawsALanePerTaskWithRunningAndWaitingStripesLoadingNothing(@TempDir Path dir) throws Exception {
        assumeChromium();
        Recorder recorder = Recorder.create();
        List<String> tracks = new ArrayList<>();
        try (Loop loop = Loop.builder().recorder(recorder).noStallWatchdog().build()) {
            loop.run(() -> {
                List<Task<?>> tasks = List.of(
                        Weft.spawn("fetch <1> & \"co\"", () -> Weft.sleep(Duration.ofMillis(20))),
                        Weft.spawn("sleeper", () -> {
                            for (int i = 0; i < 3; i++) {
                                Weft.sleep(Duration.ofMillis(5));
                            }
                        }),
                        Weft.spawn("yielder", () -> {
                            for (int i = 0; i < 50; i++) {
                                Weft.yield();
                            }
                        }));
                tracks.add(Weft.currentTask().name() + " #" + Weft.currentTask().id());
                tasks.forEach(t -> tracks.add(t.name() + " #" + t.id()));
                tasks.forEach(Weft::await);
            });
        }
        Path html = dir.resolve("run.html");
        recorder.writeTimeline(html);

        String file = Files.readString(html);
        assertThat(file).doesNotContainPattern("(?i)\\b(src|href)\\s*=").doesNotContainPattern("(?i)https?:")
                .doesNotContainPattern("(?i)@import|url\\(\\s*['\"]?(?!#)");

        String dom = dumpDom(html, dir);
        assertThat(dom).contains("<main id=\"groups\">", "</main>");
        String groups = dom.substring(dom.indexOf("<main id=\"groups\">"), dom.indexOf("</main>"));
        List<String> lanes = new ArrayList<>();
        for (Matcher m = LANE.matcher(groups); m.find(); ) {
            lanes.add(unescape(m.group(1)));
        }
        assertThat(lanes).containsExactlyElementsOf(tracks);
        List<String> kinds = new ArrayList<>();
        for (Matcher m = SLICE.matcher(groups); m.find(); ) {
            kinds.add(m.group(1));
        }
        assertThat(kinds).contains("run", "wait", "ready");
        assertThat(dom).contains("waiting: sleep", "waiting: task").contains("1 group, 4 tracks");
    }

    /** The DOM of {@code html} after its scripts ran, from Chromium with no network; its files in {@code dir}. */
    private static String dumpDom(Path html, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--user-data-dir=" + dir.resolve("profile"), "--host-resolver-rules=MAP * ~NOTFOUND",
                "--proxy-server=127.0.0.1:9", "--window-size=1400,900", "--dump-dom", html.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("Chromium did not dump the DOM within 90 s; its log:\n" + Files.readString(err));
        }
        assertThat(p.exitValue()).as("Chromium's exit code; its log:\n%s", Files.readString(err)).isZero();
        return Files.readString(out);
    }

    private static String unescape(String attribute) {
        return attribute.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&");
    }

    /** Installs Chromium if it is missing and it may; else skips the test, saying why on stderr. */
    private static void assumeChromium() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        List<String> apt;
        String uid = run(List.of("id", "-u"));
        if (uid != null && uid.strip().equals("0")) {
            apt = List.of("apt-get");
        } else if (run(List.of("sudo", "-n", "true")) != null) {
            apt = List.of("sudo", "-n", "apt-get");
        } else {
            skip(CHROMIUM + " is missing, and installing Debian's chromium needs root or sudo without a password");
            return;
        }
        List<String> install = new ArrayList<>(apt);
        install.addAll(List.of("install", "-y", "-q", "chromium"));
        if (run(install) == null) {
            List<String> update = new ArrayList<>(apt);
            update.addAll(List.of("update", "-q"));
            run(update);
            run(install);
        }
        if (!Files.isExecutable(CHROMIUM)) {
            skip(CHROMIUM + " is missing and `" + String.join(" ", install) + "` did not install it");
        }
    }

    private static void skip(String why) {
        System.err.println("TimelineBrowserTest skipped: " + why);
        Assumptions.abort(why);
    }

    /** What {@code command} printed, or null if it failed, could not start or ran over five minutes. */
    private static @Nullable String run(List<String> command) throws InterruptedException {
        try {
            File log = File.createTempFile("weft-install", ".log");
            log.deleteOnExit();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(log.toPath()) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
