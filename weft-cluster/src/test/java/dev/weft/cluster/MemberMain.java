package dev.weft.cluster;

import java.util.List;

/**
 * A member JVM of the cluster tests: {@code MemberMain CLUSTER THREADS [JOIN]} starts a {@link Worker}
 * on 127.0.0.1 and prints {@code member HOST:PORT} once it has joined. Refers to no other test class:
 * the missing-class test runs it with a class path of its own.
 */
public final class MemberMain {
    private MemberMain() {}

    public static void main(String[] args) throws InterruptedException {
        Worker.Builder b = Worker.builder().clusterName(args[0]).threads(Integer.parseInt(args[1])).port(5801);
        if (args.length > 2) {
            b.join(List.of(args[2]));
        }
        Worker w = b.start();
        Runtime.getRuntime().addShutdownHook(new Thread(w::close));
        System.out.println("member " + w.address());
        System.out.flush();
        w.awaitClosed();
    }
}
