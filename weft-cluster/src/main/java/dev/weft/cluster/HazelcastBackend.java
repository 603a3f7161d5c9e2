package dev.weft.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import dev.weft.pool.ClusterBackend;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code Pool.cluster()} on Hazelcast: a member in this JVM (no addresses), or a client of the
 * cluster at the addresses. Found by {@link java.util.ServiceLoader}; applications use
 * {@code Pool.cluster()}.
 */
public final class HazelcastBackend implements ClusterBackend {
    /** For {@link java.util.ServiceLoader}. */
    public HazelcastBackend() {}

    @Override
    public Connection connect(Settings settings, ClusterBackend.Members members) {
        HazelcastInstance hz;
        if (settings.addresses().isEmpty()) {
            // a cluster of its own unless named: nothing joins it by accident
            String name = settings.clusterName().orElseGet(() -> "weft-" + UUID.randomUUID());
            hz = Hazelcast.newHazelcastInstance(Configs.alone(Configs.member(name, "127.0.0.1", 5701, List.of(),
                    settings.threads(), HazelcastBackend.class.getClassLoader())));
        } else {
            String name = settings.clusterName().orElseThrow();
            CountDownLatch connected = new CountDownLatch(1);
            hz = HazelcastClient.newHazelcastClient(Configs.client(name, settings.addresses(), e -> {
                if (e.getState() == LifecycleState.CLIENT_CONNECTED) {
                    connected.countDown();
                }
            }));
            if (!awaitConnection(connected, settings)) {
                hz.shutdown();
                throw new IllegalStateException("cannot reach cluster '" + name + "' at " + settings.addresses() + " within "
                        + settings.memberWait() + " (the pool's memberWait): are its weft workers running, with"
                        + " --cluster-name " + name + " and these addresses?");
            }
        }
        return new HazelcastConnection(hz, members, !settings.addresses().isEmpty());
    }

    private static boolean awaitConnection(CountDownLatch connected, Settings settings) {
        try {
            return connected.await(settings.memberWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
