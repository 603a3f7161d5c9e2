package dev.weft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code weft bench echo}: echo servers — Weft's streams, a raw virtual thread per connection, asyncio
 * streams on CPython's loop and on uvloop — each in its own process, driven in turn by the same Java
 * load generator in this JVM: {@value #CONNECTIONS} connections, each sending a {@value #SIZE}-byte
 * message and waiting for its echo, a warm-up, then a fixed measuring time.
 */
public final class EchoBench {
    static final int CONNECTIONS = 100;
    static final int SIZE = 1024;
    static final long WARMUP_MS = 2_000;
    static final long MEASURE_MS = 5_000;

    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("echo", "echo servers under one load generator: "
            + CONNECTIONS + " connections, " + SIZE + "-byte messages (Weft streams, raw virtual threads, asyncio,"
            + " uvloop)", List.of(new SideBySide.Metric("msgs", "messages/s", true)), 0);

    private EchoBench() {}

    /** Runs every server {@code repeats} times and keeps the medians; progress lines go to {@code log}. */
    public static SideBySide.Result run(int repeats, PrintStream log) throws IOException, InterruptedException {
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> systems = new LinkedHashMap<>();
        systems.put("weft", SideBySide.java(List.of(), EchoServers.class, "weft"));
        systems.put("raw_vthreads", SideBySide.java(List.of(), EchoServers.class, "raw"));
        Anchors anchors = new Anchors(log);
        if (anchors.python(notes)) {
            Path script = SideBySide.extractScript("echo_server.py");
            systems.put("asyncio", List.of(Anchors.PYTHON, script.toString(), "asyncio"));
            if (anchors.uvloop(notes)) {
                systems.put("uvloop", List.of(Anchors.PYTHON, script.toString(), "uvloop"));
            }
        }
        return new SideBySide.Result(SPEC, SideBySide.medians(SPEC, systems, repeats, log,
                command -> Map.of("msgs", measure(command))), notes);
    }

    /** Starts a server, loads it, stops it; returns messages per second. */
    private static double measure(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            int port = awaitReady(p, command);
            return load(port);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Reads a server process's output until its {@code ready port=N} line; the rest is drained. */
    static int awaitReady(Process p, List<String> command) throws IOException {
        BufferedReader r = p.inputReader(StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        for (String line; (line = r.readLine()) != null;) {
            if (line.startsWith("ready port=")) {
                Thread.ofPlatform().daemon().start(() -> drain(r)); // keep the pipe from filling up
                return Integer.parseInt(line.substring("ready port=".length()).trim());
            }
            seen.add(line);
        }
        throw new IOException("the server exited before it was ready: " + command + "\n" + String.join("\n", seen));
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // discard
            }
        } catch (IOException e) {
            // the server was stopped
        }
    }

    /** The load generator: every connection sends a message and waits for its echo, again and again. */
    static double load(int port) throws IOException, InterruptedException {
        LongAdder count = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        List<Socket> sockets = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            sockets.add(s);
            clients.add(Thread.ofVirtual().start(() -> pingPong(s, count, measuring)));
        }
        Thread.sleep(WARMUP_MS);
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(MEASURE_MS);
        long sum = count.sum();
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : clients) {
            t.join(10_000);
        }
        return sum / seconds;
    }

    private static void pingPong(Socket s, LongAdder count, AtomicBoolean measuring) {
        byte[] message = new byte[SIZE];
        byte[] echo = new byte[SIZE];
        try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (;;) {
                out.write(message);
                for (int got = 0; got < SIZE;) {
                    int n = in.read(echo, got, SIZE - got);
                    if (n < 0) {
                        return;
                    }
                    got += n;
                }
                if (measuring.get()) {
                    count.increment();
                }
            }
        } catch (IOException e) {
            // stopped: the sockets were closed
        }
    }
}
