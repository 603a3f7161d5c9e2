package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the tests in a JVM of its own, as a user's program runs: for what only a fresh JVM shows. */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code main} with this JVM's class path and {@code options} (none: not even the flag the
     * suite's JVM has), {@code env} added to the environment; returns what it printed (stdout and
     * stderr, kept in {@code dir}). Fails if it runs longer than a minute or exits with an error.
     */
    static String run(Path dir, List<String> options, Class<?> main, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Path log = Files.createTempFile(dir, "child-jvm-", ".txt");
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        b.environment().putAll(env);
        Process p = b.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ends", main.getSimpleName()).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
