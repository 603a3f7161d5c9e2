package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ExpectsReports;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import dev.weft.pool.PoolListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster pool against members in JVMs of their own on 127.0.0.1, as they fail: killed with
 * kill -9 mid-map, joining mid-map, lacking a class, all gone. Every member JVM is killed after its
 * test ({@link MemberJvms}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterFaultTest {
    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static Pool client(MemberJvms jvms, MemberJvms.Member member, PoolListener listener) {
        return Pool.cluster().clusterName(jvms.clusterName).join(List.of(member.address())).listener(listener).build();
    }

    @Test
    @ExpectsReports("the pool warns that the member is gone with work in flight")
    void aMemberKilledWithKill9MidMapLosesNoResult() throws Exception {
        try (MemberJvms jvms = new MemberJvms()) {
            List<MemberJvms.Member> members = jvms.start(3, 2);
            MemberJvms.Member victim = members.get(1);
            List<String> died = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> aThirdDone = new CompletableFuture<>();
            try (Pool pool = client(jvms, members.get(0), new PoolListener() {
                @Override
                public void workerDied(int worker, String cause) {
                    died.add(cause);
                }
            })) {
                assertThat(pool.workers()).isEqualTo(6);
                CompletableFuture<Void> killed = aThirdDone.thenRun(() -> {
                    try {
                        victim.kill9();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<Long> out = pool.map(x -> {
                    Thread.sleep(1); // long enough for the kill to come mid-map
                    return (long) x * x;
                }, range(10_000), MapOptions.builder().chunkSize(10).progress((done, total) -> {
                    if (done >= total / 3) {
                        aThirdDone.complete(null);
                    }
                }).build());
                killed.get(1, TimeUnit.MINUTES);
                assertThat(out).isEqualTo(range(10_000).stream().map(x -> (long) x * x).toList());
                assertThat(died).as("the pool said which member it lost").anySatisfy(cause ->
                        assertThat(cause).contains(victim.address()));
                assertThat(pool.workers()).isEqualTo(4);
            }
        }
    }

    @Test
    void aMemberThatJoinsMidMapTakesWork() throws Exception {
        try (MemberJvms jvms = new MemberJvms()) {
            MemberJvms.Member first = jvms.start(1, 2).get(0);
            CompletableFuture<Void> started = new CompletableFuture<>();
            try (Pool pool = client(jvms, first, new PoolListener() { })) {
                CompletableFuture<MemberJvms.Member> second = started.thenApplyAsync(v -> {
                    try {
                        return jvms.start(2, first.address());
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<Long> pids = pool.map(x -> {
                    Thread.sleep(10);
                    return ProcessHandle.current().pid();
                }, range(2_000), MapOptions.builder().chunkSize(4).progress((done, total) -> started.complete(null)).build());
                long secondPid = second.get(1, TimeUnit.MINUTES).process().pid();
                assertThat(pids).as("the member that joined mid-map took work").contains(secondPid, first.process().pid());
            }
        }
    }

    @Test
    void aTaskWhoseClassAMemberLacksFailsNamingTheClassAndTheMember(@TempDir Path dir) throws Exception {
        // the member's class path: the test's, without the test classes, but for the member's main class
        Path testClasses = Path.of(MemberMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String mainClass = MemberMain.class.getName().replace('.', '/') + ".class";
        Files.createDirectories(dir.resolve(mainClass).getParent());
        Files.copy(testClasses.resolve(mainClass), dir.resolve(mainClass));
        String classpath = Stream.concat(Stream.of(dir.toString()), Stream.of(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)).filter(e -> !Path.of(e).equals(testClasses)))
                .collect(Collectors.joining(java.io.File.pathSeparator));
        try (MemberJvms jvms = new MemberJvms()) {
            MemberJvms.Member member = jvms.start(1, null, classpath);
            try (Pool pool = client(jvms, member, new PoolListener() { })) {
                assertThatThrownBy(() -> pool.apply(() -> 42)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("class " + ClusterFaultTest.class.getName())
                        .hasMessageContaining("member " + member.address())
                        .hasMessageContaining("--classpath");
                assertThat(pool.workers()).as("the member goes on").isEqualTo(1);
            }
        }
    }

    @Test
    @ExpectsReports("the pool warns that its last member is gone, and how long its work waits")
    void workWaitingWhenTheLastMemberDiesFailsClearlyAfterTheMemberWait() throws Exception {
        try (MemberJvms jvms = new MemberJvms()) {
            MemberJvms.Member only = jvms.start(1, 1).get(0);
            try (Pool pool = Pool.cluster().clusterName(jvms.clusterName).join(List.of(only.address()))
                    .memberWait(Duration.ofSeconds(3)).retries(1).build()) {
                CompletableFuture<Integer> running = pool.submit(() -> {
                    Thread.sleep(60_000);
                    return 1;
                });
                Thread.sleep(500); // it runs
                only.kill9();
                assertThatThrownBy(running::join).hasCauseInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("no member of the cluster able to run work came within the pool's memberWait (PT3S)");
                assertThatThrownBy(() -> pool.apply(() -> 2)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("memberWait");
            }
        }
    }

    @Test
    void aClusterNobodyAnswersForIsAClearErrorAfterTheMemberWait() {
        assertThatThrownBy(() -> Pool.cluster().clusterName("nobody-here").join(List.of("127.0.0.1:1"))
                .memberWait(Duration.ofSeconds(1)).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach cluster 'nobody-here' at [127.0.0.1:1] within PT1S");
    }

    @Test
    void theMembersOfAPoolAreItsWorkersAndItsTracksAreNamedByMemberAndThread() throws Exception {
        try (MemberJvms jvms = new MemberJvms()) {
            List<MemberJvms.Member> members = jvms.start(2, 1);
            Set<Integer> workers = Collections.synchronizedSet(new HashSet<>());
            try (Pool pool = client(jvms, members.get(0), new PoolListener() {
                @Override
                public void started(Work work, int worker) {
                    workers.add(worker);
                }
            })) {
                assertThat(pool.workers()).isEqualTo(2);
                List<Long> pids = pool.map(x -> {
                    Thread.sleep(20);
                    return ProcessHandle.current().pid();
                }, range(40), MapOptions.builder().chunkSize(1).build());
                assertThat(Set.copyOf(pids)).as("both members ran work")
                        .containsExactlyInAnyOrder(members.get(0).process().pid(), members.get(1).process().pid());
                assertThat(workers).hasSize(2);
            }
        }
    }
}
