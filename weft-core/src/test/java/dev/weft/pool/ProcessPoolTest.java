package dev.weft.pool;

/** The pool contract on worker processes. */
class ProcessPoolTest extends PoolContractTest {
    @Override
    Pool.Builder<?> builder() {
        return Pool.processes();
    }
}
