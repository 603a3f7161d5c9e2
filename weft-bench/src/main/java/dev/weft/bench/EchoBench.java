package dev.weft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
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
 * load generator in this JVM: {@code connections} connections, each sending a {@code size}-byte
 * message and waiting for its echo, a warm-up of {@code warmup_ms}, then {@code measure_ms} measured
 * (the {@link Sizes} of {@code echo}).
 */
public final class EchoBench {
    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("echo", "echo servers under one load generator:"
            + " {connections} connections, {size}-byte messages (Weft: one loop per core sharing the address, on their own carriers and on the shared scheduler; raw virtual threads; asyncio, uvloop)",
            List.of(new SideBySide.Metric("msgs", "messages/s", true)), 0);

    private EchoBench() {}

    /** Runs every server {@code repeats} times at {@code scale} and keeps the medians; progress lines go to {@code log}. */
    public static SideBySide.Result run(Sizes.Scale scale, int repeats, Anchors anchors, PrintStream log)
            throws IOException, InterruptedException {
        Sizes sizes = Sizes.of(SPEC.name(), scale);
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> systems = new LinkedHashMap<>();
        systems.put("weft", SideBySide.java(List.of(), EchoServers.class, List.of("weft")));
        systems.put(SideBySide.SHARED, SideBySide.java(List.of(SideBySide.SHARED_OPTION), EchoServers.class, List.of("weft")));
        systems.put("raw_vthreads", SideBySide.java(List.of(), EchoServers.class, List.of("raw")));
        if (anchors.python(notes)) {
            Path script = SideBySide.extractScript("echo_server.py");
            systems.put("asyncio", SideBySide.python(anchors, script, List.of("asyncio"), List.of()));
            if (anchors.uvloop(notes)) {
                systems.put("uvloop", SideBySide.python(anchors, script, List.of("uvloop"), List.of()));
            }
        }
        return new SideBySide.Result(SPEC, sizes, SideBySide.medians(SPEC, systems, repeats, log,
                command -> Map.of("msgs", measure(command, sizes))), notes);
    }

    /** Starts a server, loads it, stops it; returns messages per second. */
    private static double measure(List<String> command, Sizes sizes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            int port = awaitReady(p, command);
            return load(port, sizes);
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
    static double load(int port, Sizes sizes) throws IOException, InterruptedException {
        LongAdder count = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        List<Socket> sockets = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        int size = sizes.get("size");
        for (int i = 0; i < sizes.get("connections"); i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setTcpNoDelay(true);
            sockets.add(s);
            clients.add(Thread.ofVirtual().start(() -> pingPong(s, size, count, measuring)));
        }
        Thread.sleep(sizes.get("warmup_ms"));
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(sizes.get("measure_ms"));
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

    private static void pingPong(Socket s, int size, LongAdder count, AtomicBoolean measuring) {
        byte[] message = new byte[size];
        byte[] echo = new byte[size];
        try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (;;) {
                out.write(message);
                for (int got = 0; got < size;) {
                    int n = in.read(echo, got, size - got);
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
