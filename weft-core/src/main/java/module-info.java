/** Weft: asyncio's tasks, task groups, timeouts and cancellation, on virtual threads. */
module dev.weft {
    exports dev.weft;
    exports dev.weft.net;
    exports dev.weft.sync;
    exports dev.weft.testing;
    exports dev.weft.trace;
}
