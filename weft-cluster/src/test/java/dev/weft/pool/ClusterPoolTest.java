package dev.weft.pool;

/** The pool contract on a cluster: a member in the test's JVM. */
class ClusterPoolTest extends PoolContractTest {
    @Override
    Pool.Builder<?> builder() {
        return Pool.cluster();
    }
}
