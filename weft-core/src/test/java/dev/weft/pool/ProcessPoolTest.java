package dev.weft.pool;

/** The pool contract on worker processes. */
class ProcessPoolTest extends PoolContractTest {
    @Override
    Pool make(Pool.Builder b) {
        return b.processes();
    }
}
