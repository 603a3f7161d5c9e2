package dev.weft.cluster;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The options a test's member JVM needs: those of the test's own JVM that open the JDK (to Weft's carriers, to Hazelcast). */
final class Jvm {
    private Jvm() {}

    static List<String> hazelcastOptions() {
        List<String> out = new ArrayList<>();
        List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String a : in) {
            if (a.startsWith("--add-opens=") || a.startsWith("--add-exports=") || a.startsWith("--add-modules=")
                    || a.startsWith("--sun-misc-unsafe-memory-access=")) {
                out.add(a);
            }
        }
        return out;
    }
}
