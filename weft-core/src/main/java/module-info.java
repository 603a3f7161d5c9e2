/** Weft: asyncio's tasks, task groups, timeouts and cancellation, on virtual threads. */
module dev.weft {
    requires transitive java.net.http; // HttpResponse exposes its HttpHeaders
    exports dev.weft;
    exports dev.weft.http;
    exports dev.weft.net;
    exports dev.weft.pool;
    exports dev.weft.sync;
    exports dev.weft.test;
    exports dev.weft.testing;
    exports dev.weft.trace;
}
