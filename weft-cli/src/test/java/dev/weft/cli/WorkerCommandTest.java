package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ExpectsReports;
import dev.weft.cluster.Worker;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code weft worker}: its usage errors, and two workers as a user starts them (JVMs of their own,
 * the application's classes given by {@code --classpath} only), running a map from this JVM, one of
 * them stopped by SIGTERM mid-map: it leaves cleanly and no result is lost.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerCommandTest extends CliHarness {
    @Test
    void usageErrorsAreExitCode2NamingTheOption() {
        assertThat(run("worker")).isEqualTo(2);
        assertThat(err.toString()).contains("--cluster-name");
        assertThat(run("worker", "--cluster-name", "x", "--threads", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("threads must be >= 1, got 0");
        assertThat(run("worker", "--cluster-name", "x", "--classpath", "/no/such/dir")).isEqualTo(2);
        assertThat(err.toString()).contains("class path entry /no/such/dir does not exist");
        assertThat(run("worker", "--cluster-name", " ")).isEqualTo(2);
        assertThat(err.toString()).contains("clusterName must not be blank");
    }

    /** A running {@code weft worker} and the lines it printed. */
    private record WorkerJvm(Process process, String address, List<String> lines, Thread reader) {
        /** Every line it printed, once it has ended. */
        List<String> allLines() throws InterruptedException {
            reader.join();
            return lines;
        }
    }

    private static WorkerJvm worker(String cluster, Path appClasses, String... more) throws IOException {
        String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).equals(appClasses)).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        command.addAll(Worker.JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, Main.class.getName(), "worker", "--cluster-name", cluster,
                "--threads", "2", "--port", "5901", "--classpath", appClasses.toString()));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start(); // its stderr too: in the failure's message
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                for (String line; (line = out.readLine()) != null;) {
                    lines.add(line);
                    if (line.startsWith("weft worker: member ")) {
                        address.complete(line.substring("weft worker: member ".length(), line.indexOf(" of cluster")));
                    }
                }
            } catch (IOException e) {
                // it ended
            }
            address.completeExceptionally(new IllegalStateException("weft worker ended before it joined: " + lines));
        });
        return new WorkerJvm(p, address.join(), lines, reader);
    }

    @Test
    void theLauncherAndTheBuildGiveJvmsTheOptionsHazelcastAsksFor() throws IOException {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
        Matcher launcher = Pattern.compile("HAZELCAST=\\(([^)]*)\\)").matcher(Files.readString(root.resolve("weft")));
        assertThat(launcher.find()).as("the launcher's HAZELCAST=(...)").isTrue();
        assertThat(List.of(launcher.group(1).strip().split("\\s+"))).isEqualTo(Worker.JVM_OPTIONS);
        String pom = Files.readString(root.resolve("pom.xml"));
        List<String> surefire = new ArrayList<>(); // the tests' JVMs: weft.argLine, then hazelcast.jvmOptions
        for (String property : List.of("weft.argLine", "hazelcast.jvmOptions")) {
            Matcher m = Pattern.compile("<" + property + ">([^<]*)<").matcher(pom);
            assertThat(m.find()).as("the parent pom's " + property).isTrue();
            surefire.addAll(List.of(m.group(1).strip().split("\\s+")));
        }
        assertThat(String.join(" ", surefire)).contains(String.join(" ", Worker.JVM_OPTIONS.subList(0, 2)))
                .contains(String.join(" ", Worker.JVM_OPTIONS.subList(2, Worker.JVM_OPTIONS.size())));
    }

    @Test
    @ExpectsReports("the pool warns that the member stopped with work in flight")
    void twoWorkersRunAMapOfAnAppsClassesAndOneStoppedBySigtermLeavesCleanly() throws Exception {
        String cluster = "weft-cli-test-" + UUID.randomUUID();
        Path appClasses = Path.of(WorkerCommandTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Process> started = new ArrayList<>();
        try {
            WorkerJvm first = worker(cluster, appClasses);
            started.add(first.process());
            WorkerJvm second = worker(cluster, appClasses, "--join", first.address());
            started.add(second.process());
            assertThat(first.lines()).anySatisfy(l -> assertThat(l).startsWith("members: " + first.address()));
            CompletableFuture<Void> aFifth = new CompletableFuture<>();
            try (Pool pool = Pool.cluster().clusterName(cluster).join(List.of(first.address())).build()) {
                assertThat(pool.workers()).isEqualTo(4);
                // SIGTERM, by the handle: Process.destroy() would also close the pipe that brings its goodbye
                var _ = aFifth.thenRun(() -> second.process().toHandle().destroy());
                List<Long> out = pool.map(x -> {
                    Thread.sleep(5); // the work: a class only --classpath gives the workers
                    return (long) x * 3;
                }, IntStream.range(0, 2_000).boxed().toList(), MapOptions.builder().chunkSize(5)
                        .progress((done, total) -> {
                            if (done >= total / 5) {
                                aFifth.complete(null);
                            }
                        }).build());
                assertThat(out).isEqualTo(IntStream.range(0, 2_000).mapToObj(x -> (long) x * 3).toList());
            }
            assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).as("the stopped worker ends").isTrue();
            assertThat(second.allLines()).as("exit code %d", second.process().exitValue()).contains("weft worker: left cluster '" + cluster + "'");
            assertThat(first.lines()).anySatisfy(l -> assertThat(l).isEqualTo("member " + second.address() + " left: 1 members"));
        } finally {
            started.forEach(Process::destroyForcibly);
            for (Process p : started) {
                p.waitFor();
            }
        }
    }
}
