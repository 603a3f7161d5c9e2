package dev.weft.pool;

/** The pool contract on threads. */
class ThreadPoolTest extends PoolContractTest {
    @Override
    Pool.Builder<?> builder() {
        return Pool.threads();
    }
}
