/**
 * Weft: asyncio's tasks, task groups, timeouts, cancellation, synchronisation, networking and a
 * process pool, on virtual threads.
 */
module dev.weft {
    requires transitive java.net.http; // HttpResponse exposes its HttpHeaders
    requires java.management; // the live view's MBean (weft ps)
    requires static org.jspecify; // @Nullable, checked at compile time by NullAway
    requires jdk.jfr; // the Weft events of Flight Recorder (off unless a recording enables them)
    exports dev.weft;
    exports dev.weft.pool;
    exports dev.weft.trace;
    uses dev.weft.pool.ClusterBackend; // Pool.cluster(): the weft-cluster module provides it
}
