/**
 * Weft's test servers: {@link dev.weft.testing.MockApi}, a local HTTP API with latency, errors and
 * hostile answers, for the tests and tools of code that uses Weft's HTTP client or any other.
 */
module dev.weft.testing {
    requires transitive dev.weft; // a MockApi runs in a Weft loop
    exports dev.weft.testing;
}
