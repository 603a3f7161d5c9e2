package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code weft ps} and {@code weft pstree} against {@link LiveTarget} running in a JVM of its own:
 * the tasks of its loops, their waits, parents and groups, and the stall and deadlock warnings, read
 * while one of its loops is stalled for good.
 */
class PsCommandTest extends CliHarness {
    private static Process target;
    private static Path targetErr;
    /** {@code ps --json} once the stall has been reported: the watchdog needs a moment. */
    private static String json;

    
    @BeforeAll
    static void startTarget() throws Exception {
        targetErr = Files.createTempFile("live-target", ".err");
        target = start(targetErr);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        json = "";
        String failure = "";
        while (!json.contains("\"kind\": \"stall\"") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            PsCommandTest t = new PsCommandTest(); // exit 1 until the target's MBean is registered
            json = t.run("ps", Long.toString(target.pid()), "--json") == 0 ? t.out.toString() : "";
            failure = t.err.toString();
        }
        assertThat(json).as("weft ps --json of the target, once stalled; last error: %s", failure)
                .contains("\"kind\": \"stall\"");
    }

    /** Starts {@link LiveTarget} with {@code args} and waits for its "ready". */
    private static Process start(Path errors, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                LiveTarget.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            assertThat(line).as("the target's first line; its stderr: %s", Files.readString(errors)).isEqualTo("ready");
            return p;
        } catch (IOException | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    @AfterAll
    static void stopTarget() throws Exception {
        if (target != null) {
            target.destroyForcibly();
            target.waitFor(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(targetErr);
    }


    private static String pid() {
        return Long.toString(target.pid());
    }

    /** The JSON line of task {@code name}: one task per line. */
    private static String taskLine(String name) {
        return json.lines().filter(l -> l.contains("\"name\": \"" + name + "\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no task '" + name + "' in\n" + json));
    }

    private static long id(String name) {
        Matcher m = Pattern.compile("\"id\": (\\d+)").matcher(taskLine(name));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void jsonHasEveryTaskWithItsStateWaitParentAndGroup() {
        assertThat(json).startsWith("{\"pid\": " + pid()).contains("\"thread\": \"calm\"", "\"thread\": \"stalled\"");
        assertThat(taskLine("sleeper-1")).contains("\"state\": \"SUSPENDED\"", "\"reason\": \"sleep\"",
                "\"group\": null", "\"awaits\": []");
        assertThat(taskLine("awaiter")).contains("\"reason\": \"task\"",
                "\"waitingFor\": \"task 'sleeper-1'\"", "\"awaits\": [" + id("sleeper-1") + "]");
        assertThat(taskLine("opener")).contains("\"reason\": \"task group\"",
                "\"awaits\": [" + id("child-1") + ", " + id("child-2") + "]");
        for (String child : List.of("child-1", "child-2")) {
            assertThat(taskLine(child)).contains("\"parent\": " + id("opener")).containsPattern("\"group\": \\d+");
        }
        assertThat(taskLine("child-2")).contains("\"reason\": \"event\"");
        assertThat(taskLine("ab")).contains("\"reason\": \"lock\"", "held by task 'ba'", "\"awaits\": [" + id("ba") + "]");
        assertThat(taskLine("spinner")).contains("\"state\": \"RUNNING\"", "\"reason\": \"\"");
    }

    @Test
    void jsonWarnsOfTheStallAndTheDeadlockOnly() {
        List<String> warnings = json.lines().filter(l -> l.startsWith("{\"kind\": ")).toList();
        assertThat(warnings).filteredOn(w -> w.contains("\"kind\": \"stall\"")).singleElement().asString()
                .contains("\"tasks\": [" + id("spinner") + "]", "task 'spinner' #" + id("spinner") + " has held the loop");
        assertThat(warnings).filteredOn(w -> w.contains("\"kind\": \"deadlock\"")).singleElement().asString()
                .contains("\"tasks\": [" + id("ab") + ", " + id("ba") + "]");
        assertThat(warnings).noneMatch(w -> w.contains("sleeper") || w.contains("awaiter") || w.contains("opener"));
    }

    @Test
    void psPrintsATablePerLoopAndTheWarnings() {
        assertThat(run("ps", pid())).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("loop ", "(calm)", "(stalled)", "ID", "NAME", "STATE", "REASON", "FOR", "BUSY",
                "PARENT", "GROUP", "WAITING FOR");
        String child = text.lines().filter(l -> l.startsWith("#" + id("child-1") + " ")).findFirst().orElseThrow();
        assertThat(child).contains("child-1", "SUSPENDED", "sleep", "#" + id("opener"), " g");
        assertThat(text).containsSubsequence("warnings:", "deadlock (loop", "'ab' #" + id("ab") + " waits for Lock@")
                .contains("stall (loop", "task 'spinner' #" + id("spinner") + " has held the loop for");
    }

    @Test
    void pstreeShowsGroupsUnderTheirOwnerAndWhoAwaitsWhom() {
        assertThat(run("pstree", pid())).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).containsSubsequence("#" + id("opener") + " opener  SUSPENDED task group",
                "group g", "#" + id("child-1") + " child-1  SUSPENDED sleep",
                "#" + id("child-2") + " child-2  SUSPENDED event");
        assertThat(text).contains("#" + id("awaiter") + " awaiter  SUSPENDED task (")
                .contains("-> #" + id("sleeper-1")).contains("#" + id("spinner") + " spinner  RUNNING")
                .contains("stall (loop");
        assertThat(run("pstree", pid(), "--json")).isZero();
        assertThat(out.toString()).contains("\"name\": \"child-1\"");
    }

    @Test
    void anIntervalMeasuresBusyTimeOverIt() {
        assertThat(run("ps", pid(), "--json", "--interval", "200")).as(err.toString()).isZero();
        Matcher stalled = Pattern.compile("\"thread\": \"stalled\", \"uptimeNanos\": (\\d+), \"busyNanos\": \\d+,"
                + " \"windowNanos\": (\\d+)").matcher(out.toString());
        assertThat(stalled.find()).isTrue();
        long window = Long.parseLong(stalled.group(2));
        assertThat(window).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos())
                .isLessThan(Long.parseLong(stalled.group(1)));
        assertThat(out.toString()).contains("\"kind\": \"busy\"");
    }

    @Test
    void aMissingProcessIsAnErrorAndBadArgumentsAreUsageErrors() {
        assertThat(run("ps", "999999999")).isEqualTo(1);
        assertThat(err.toString()).contains("no process with PID 999999999");
        assertThat(run("ps", "abc")).isEqualTo(2);
        assertThat(run("ps")).isEqualTo(2);
        assertThat(run("pstree", "0")).isEqualTo(2);
        assertThat(run("ps", pid(), "--interval", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("PID must be a positive process id", "--interval must be 0 or more");
    }

    @Test
    void aProcessThatIsNotAJvmOrRunsNoLoopIsAnError() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(run("ps", Long.toString(sleep.pid()))).isEqualTo(1);
            assertThat(err.toString()).contains("cannot attach to process " + sleep.pid());
        } finally {
            sleep.destroyForcibly();
            sleep.waitFor(30, TimeUnit.SECONDS);
        }
        Path errors = Files.createTempFile("live-idle", ".err");
        Process idle = start(errors, "idle");
        try {
            assertThat(run("pstree", Long.toString(idle.pid()))).isEqualTo(1);
            assertThat(err.toString()).contains("has no dev.weft:type=Loops MBean: it does not use Weft");
        } finally {
            idle.destroyForcibly();
            idle.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(errors);
        }
    }
}
