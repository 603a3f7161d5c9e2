package dev.weft.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import dev.weft.pool.ClusterBackend;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/** A pool's connection to a Hazelcast cluster: its members as workers, and work sent to them. */
final class HazelcastConnection implements ClusterBackend.Connection, InitialMembershipListener {
    private static final System.Logger LOG = System.getLogger("dev.weft.pool");

    private final HazelcastInstance hz;
    private final ClusterBackend.Members members;
    private final IExecutorService executor;
    /** The workers among the members, by id. */
    private final Map<String, Member> workers = new ConcurrentHashMap<>();

    /**
     * Where an answer completes the pool's future. A client's futures complete on Hazelcast's default
     * async executor (the common pool; a new thread each on two cores or fewer), never its network
     * threads: the answer is taken in there, with no further hand-off. A member's complete on its
     * operation threads, which must not wait: a virtual thread takes each answer in.
     */
    private final Executor answers;

    HazelcastConnection(HazelcastInstance hz, ClusterBackend.Members members, boolean client) {
        this.answers = client ? Runnable::run : Thread.ofVirtual().name("weft-cluster-answer")::start;
        this.hz = hz;
        this.members = members;
        this.executor = hz.getExecutorService(Configs.EXECUTOR);
        var _ = hz.getCluster().addMembershipListener(this); // init() tells of the members there now, at once
        var _ = hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleState.CLIENT_DISCONNECTED) { // a client that lost the cluster: no member for now
                workers.forEach((id, m) -> Members.worker(m).ifPresent(w -> members.left(w, "the connection to the cluster was lost")));
                workers.clear();
            } else if (e.getState() == LifecycleState.CLIENT_CONNECTED) {
                hz.getCluster().getMembers().forEach(this::added);
            }
        });
    }

    @Override
    public void init(InitialMembershipEvent event) {
        event.getMembers().forEach(this::added);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        added(event.getMember());
    }

    private void added(Member m) {
        Members.worker(m).ifPresentOrElse(w -> {
            workers.put(w.id(), m);
            members.joined(w);
        }, () -> LOG.log(Level.WARNING, Members.refusal(m)));
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        Member m = event.getMember();
        Members.worker(m).ifPresent(w -> {
            workers.remove(w.id());
            members.left(w, "it left the cluster");
        });
    }

    @Override
    public CompletableFuture<byte[]> run(ClusterBackend.Member member, byte[] work) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        Member m = workers.get(member.id());
        if (m == null) {
            answer.completeExceptionally(new IllegalStateException("member " + member.name() + " has left"));
            return answer;
        }
        Future<byte[]> sent;
        try {
            sent = executor.submitToMember(new RunWork(work), m);
        } catch (RejectedExecutionException | IllegalStateException e) { // shut down, or not a member any more
            answer.completeExceptionally(e);
            return answer;
        }
        CompletableFuture<byte[]> stage = (CompletableFuture<byte[]>) sent; // Hazelcast's futures are CompletableFutures
        var _ = stage.whenCompleteAsync((v, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            } else {
                answer.complete(Objects.requireNonNull(v, "an answer"));
            }
        }, answers);
        var _ = answer.whenComplete((v, e) -> {
            if (answer.isCancelled()) {
                sent.cancel(true); // interrupts the work on the member
            }
        });
        return answer;
    }

    @Override
    public void close() {
        hz.shutdown();
    }
}
