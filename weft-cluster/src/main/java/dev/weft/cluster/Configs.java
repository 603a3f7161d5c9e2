package dev.weft.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.spi.properties.ClusterProperty;
import dev.weft.pool.ClusterBackend;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast configuration of Weft's members and clients. Secure by default: a member binds the
 * one address it is given (127.0.0.1 unless told otherwise), joins only the members it is told of by
 * TCP/IP (multicast and auto-detection off), and only a cluster of its name; it does not phone home.
 */
final class Configs {
    private Configs() {}

    /** The executor that runs the pool's work on a member. */
    static final String EXECUTOR = "weft";
    /** A member's attribute: how many threads its executor has. Only Weft's members have it. */
    static final String THREADS = "weft.threads";
    /** A member's attribute: its Weft's version. */
    static final String VERSION = "weft.version";

    /**
     * Hazelcast's loggers of warnings that say nothing to act on in Weft's use of it, held here (a
     * logger no one holds may be collected, and its filter with it): a member that joins nothing is the
     * pool's own, by design; a task cancelled past its time limit answers late, and is ignored.
     */
    private static final List<Logger> FILTERED = List.of(Logger.getLogger("com.hazelcast.instance.impl.Node"),
            Logger.getLogger("com.hazelcast.spi.impl.operationservice.impl.Invocation"));
    private static final List<String> NOTHING_TO_ACT_ON = List.of("No join method is enabled",
            "Future.complete(Object) on completed future");

    static {
        // Hazelcast logs through java.util.logging, chattily at INFO (banners, member lists, partition
        // tables): unless the application set a level for it, only its warnings show.
        Logger hazelcast = Logger.getLogger("com.hazelcast");
        if (hazelcast.getLevel() == null) {
            hazelcast.setLevel(Level.WARNING);
        }
        for (Logger l : FILTERED) {
            if (l.getFilter() == null) { // unless the application filters it
                l.setFilter(r -> r.getMessage() == null || NOTHING_TO_ACT_ON.stream().noneMatch(r.getMessage()::contains));
            }
        }
    }

    /**
     * A member of cluster {@code name} bound to {@code bind}, trying {@code port} and the next ones,
     * that joins the members at {@code join} (none: it starts a cluster that others may join), with
     * {@code threads} worker threads, loading the work's classes with {@code loader}.
     */
    static Config member(String name, String bind, int port, List<String> join, int threads, ClassLoader loader) {
        Config c = new Config();
        c.setClusterName(name);
        c.setClassLoader(loader);
        c.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        c.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "jdk");
        c.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        c.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false"); // Weft leaves the cluster itself
        c.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "0");
        // a member gone without a word (kill -9, a cable) is noticed in seconds, not the default minute
        c.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "1");
        c.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), "10");
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(true);
        net.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig j = net.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true).setMembers(join.isEmpty() ? List.of(bind + ":" + port) : join);
        c.getMemberAttributeConfig().setAttribute(THREADS, Integer.toString(threads))
                .setAttribute(VERSION, ClusterBackend.weftVersion());
        c.getExecutorConfig(EXECUTOR).setPoolSize(threads).setStatisticsEnabled(false);
        c.getSerializationConfig().addDataSerializableFactory(RunWork.FACTORY_ID, RunWork.FACTORY);
        return c;
    }

    /** {@code c} for a member that joins nothing and that nothing joins: a pool's own, in its JVM. */
    static Config alone(Config c) {
        c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
        return c;
    }

    /**
     * A client of cluster {@code name}, reached at {@code addresses}, that starts at once and connects
     * in the background, telling {@code lifecycle} (connected, disconnected); it tries to connect (and
     * to reconnect, should it lose the cluster) for as long as it runs.
     */
    static ClientConfig client(String name, List<String> addresses, LifecycleListener lifecycle) {
        ClientConfig c = new ClientConfig();
        c.setClusterName(name);
        c.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        c.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "jdk");
        c.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false");
        c.getNetworkConfig().setAddresses(List.copyOf(addresses));
        c.addListenerConfig(new ListenerConfig(lifecycle));
        c.getSerializationConfig().addDataSerializableFactory(RunWork.FACTORY_ID, RunWork.FACTORY);
        c.getConnectionStrategyConfig().setAsyncStart(true).getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(Long.MAX_VALUE);
        return c;
    }
}
