package dev.weft.pool;

/** The pool contract on threads. */
class ThreadPoolTest extends PoolContractTest {
    @Override
    Pool make(Pool.Builder b) {
        return b.threads();
    }
}
