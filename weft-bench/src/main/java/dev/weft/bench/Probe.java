package dev.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The child JVM of a Weft measurement: runs one workload {@code warmups} times, then once measured,
 * and prints {@code result key=value ...} with the process's peak RSS, as loop_bench.py does.
 *
 * <p>usage: Probe WORKLOAD WARMUPS --SIZE VALUE ... (the sizes of {@link Sizes})
 */
public final class Probe {
    private Probe() {}

    public static void main(String[] args) throws IOException {
        String workload = args[0];
        int warmups = Integer.parseInt(args[1]);
        Sizes sizes = Sizes.parse(List.of(args).subList(2, args.length));
        for (int i = 0; i < warmups; i++) {
            Workloads.run(workload, sizes);
        }
        Map<String, Double> m = new LinkedHashMap<>(Workloads.run(workload, sizes));
        m.put("rss_mib", peakRssMib());
        System.out.println("result " + m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
    }

    /** VmHWM of this process: the same measure as Python's ru_maxrss. */
    static double peakRssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
