package dev.weft.cli;

import dev.weft.cluster.Worker;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weft worker}: a member of a cluster that runs {@code Pool.cluster()} work, until Ctrl-C or SIGTERM. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Runs a member of a Weft cluster: it runs the work of Pool.cluster() pools that join it.",
            "Start one per machine (or several on one), the first without --join, the others joining it.",
            "Members bind 127.0.0.1 unless told otherwise, join only a cluster of their name, and have no",
            "authentication or encryption between them: run a cluster on a trusted network only.",
            "Ctrl-C or SIGTERM leaves the cluster cleanly: the work it was running goes to the other members.",
            ""})
final class WorkerCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    CommandSpec spec;

    @Option(names = "--cluster-name", required = true, paramLabel = "<name>",
            description = "The cluster's name: members join only a cluster of their name, pools name it too.")
    @SuppressWarnings("NullAway.Init") // required: set by picocli
    String clusterName;

    @Option(names = "--join", split = ",", paramLabel = "<host:port>",
            description = "Members to join, comma-separated (one that answers is enough); none: start a cluster.")
    List<String> join = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "Address to bind and be reached at, an interface of this machine (default: ${DEFAULT-VALUE},"
                    + " this machine only; a private network's address to reach other machines).")
    String bind = "127.0.0.1";

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "5701",
            description = "Port to listen on; if taken, the next free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "<n>",
            description = "How many pieces of work it runs at once (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--classpath", paramLabel = "<path>",
            description = "The application's classes: jars and directories, separated by ':' (';' on Windows)."
                    + " Members must have the classes of the work they run (the community edition ships no code).")
    String classpath = "";

    private Worker.Builder options() {
        Worker.Builder b = Worker.builder().log(line -> say(line));
        try {
            List<Path> entries = new ArrayList<>();
            for (String e : classpath.split(File.pathSeparator, -1)) {
                if (!e.isEmpty()) {
                    entries.add(Path.of(e));
                }
            }
            b.clusterName(clusterName).join(join).bind(bind).port(port).threads(threads).classpath(entries);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return b;
    }

    private synchronized void say(String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    @Override
    public Integer call() throws InterruptedException {
        Worker.Builder options = options();
        Worker worker;
        try {
            worker = options.start();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("weft worker: " + e.getMessage());
            return 1;
        }
        CountDownLatch said = new CountDownLatch(1);
        Thread hook = new Thread(() -> { // Ctrl-C, SIGTERM: leave cleanly, and let the goodbye be printed
            worker.close();
            try {
                said.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        say("weft worker: member " + worker.address() + " of cluster '" + worker.clusterName() + "', " + worker.threads()
                + (worker.threads() == 1 ? " thread" : " threads") + " (Ctrl-C to leave)");
        say("members: " + String.join(", ", worker.members()));
        worker.awaitClosed();
        say("weft worker: left cluster '" + worker.clusterName() + "'");
        said.countDown();
        return 0;
    }
}
