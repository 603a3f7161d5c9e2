package dev.weft.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where and when a benchmark ran: the date (UTC), the commit ({@code git rev-parse --short HEAD}, or
 * {@code unknown}), and the machine: cores, memory, OS, JDK, CPU model, and the versions of the
 * Python anchors.
 */
public record Machine(String date, String commit, int cores, String memory, String os, String jdk, String cpu,
        Map<String, String> anchors) {

    /** This machine, now; the anchors' versions as {@code anchors} finds them. */
    public static Machine here(Anchors anchors) throws InterruptedException {
        return new Machine(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), gitCommit(),
                Runtime.getRuntime().availableProcessors(), memTotal(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                procField("/proc/cpuinfo", "model name"), anchors.versions());
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores);
        m.put("memory", memory);
        m.put("os", os);
        m.put("jdk", jdk);
        m.put("cpu", cpu);
        m.putAll(anchors);
        return m;
    }

    static Machine fromJson(String date, String commit, Map<?, ?> m) {
        Map<String, String> anchors = new LinkedHashMap<>();
        for (String k : List.of("python", "uvloop", "aiohttp")) {
            if (m.containsKey(k)) {
                anchors.put(k, Json.get(m, k, String.class));
            }
        }
        return new Machine(date, commit, Json.get(m, "cores", Double.class).intValue(), Json.get(m, "memory", String.class),
                Json.get(m, "os", String.class), Json.get(m, "jdk", String.class), Json.get(m, "cpu", String.class), anchors);
    }

    private static String gitCommit() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** MemTotal, in GiB. */
    private static String memTotal() {
        String kib = procField("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", "");
        return kib.isEmpty() ? "unknown" : String.format(Locale.ROOT, "%.0f GiB", Long.parseLong(kib) / 1024.0 / 1024.0);
    }

    /** The value of the first {@code key: value} line of a /proc file, or {@code unknown}. */
    private static String procField(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    return line.substring(colon + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: say so below
        }
        return "unknown";
    }
}
