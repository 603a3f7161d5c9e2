package dev.weft.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The member JVMs of a test's cluster, on 127.0.0.1, each a {@link MemberMain}: started in parallel,
 * and always killed by {@link #close} (and by a shutdown hook, should the test JVM end first), so no
 * test leaves a JVM behind. A cluster's name is its own: no other test's member joins it.
 */
final class MemberJvms implements AutoCloseable {
    /** A member JVM and its address. */
    record Member(Process process, String address) {
        void kill9() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            process.waitFor();
        }
    }

    final String clusterName = "weft-test-" + UUID.randomUUID();
    private final List<Process> all = new ArrayList<>();
    private final Thread reaper = new Thread(this::killAll);

    MemberJvms() {
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code n} members of {@code threads} threads each, the first starting the cluster; returns when all have joined. */
    List<Member> start(int n, int threads) throws Exception {
        Member first = start(threads, null);
        List<CompletableFuture<Member>> others = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            others.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return start(threads, first.address());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Member> members = new ArrayList<>(List.of(first));
        for (CompletableFuture<Member> f : others) {
            members.add(f.get(2, TimeUnit.MINUTES));
        }
        return members;
    }

    /** Starts a member that joins {@code join} (null: starts the cluster), with the test's class path. */
    Member start(int threads, @Nullable String join) throws IOException, InterruptedException {
        return start(threads, join, System.getProperty("java.class.path"));
    }

    /** As {@link #start(int, String)}, with class path {@code classpath}. */
    Member start(int threads, @Nullable String join, String classpath) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath));
        command.addAll(Worker.JVM_OPTIONS);
        command.addAll(List.of(MemberMain.class.getName(), clusterName, Integer.toString(threads)));
        if (join != null) {
            command.add(join);
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        synchronized (all) {
            all.add(p);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith("member ")) {
                return new Member(p, line.substring("member ".length()));
            }
        }
        throw new IllegalStateException("a member JVM ended before it joined, exit code " + p.waitFor());
    }

    private void killAll() {
        List<Process> ps;
        synchronized (all) {
            ps = List.copyOf(all);
        }
        for (Process p : ps) {
            p.destroyForcibly();
        }
        for (Process p : ps) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        killAll();
        Runtime.getRuntime().removeShutdownHook(reaper);
    }
}
