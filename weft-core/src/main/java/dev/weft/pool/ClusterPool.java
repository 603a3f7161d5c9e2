package dev.weft.pool;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@link Pool#cluster}: the members of a cluster, reached through a {@link ClusterBackend}, are the
 * workers. Nothing blocks a thread: work waits in one queue, and goes out, from whichever thread
 * frees a place (the submitter, or the thread that takes in an answer: the backend's, never one of
 * its network threads), to the member with the most free threads. A member's threads are lanes;
 * each lane is a worker of the pool's events (a track in traces), named by member and thread.
 */
final class ClusterPool extends AbstractPool implements ClusterBackend.Members {
    private static final System.Logger LOG = System.getLogger("dev.weft.pool");
    /** Set while this pool completes futures: their callbacks must not close it (they would wait for themselves). */
    private static final ThreadLocal<Boolean> COMPLETING = new ThreadLocal<>();
    /**
     * Where the pool's timers run: a virtual thread each, started in a microsecond. (Not the default
     * of {@code delayedExecutor}, the common pool, which on a machine of two cores or fewer starts a
     * platform thread per task: a tenth of a millisecond each.)
     */
    private static final Executor TIMERS = Thread.ofVirtual().name("weft-cluster-timer")::start;

    private final Object lock = new Object();
    private final ArrayDeque<Work> queue = new ArrayDeque<>(); // guarded by lock
    /** The members, by id, in the order they joined. */
    private final Map<String, Place> places = new LinkedHashMap<>(); // guarded by lock
    private final Map<Integer, String> workerNames = new ConcurrentHashMap<>();
    private final byte @Nullable [] initializer;
    private final int retries;
    private final long memberWaitNanos;
    private final @Nullable TaskTimer timer;
    private final ClusterBackend.Connection connection;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private int nextWorker = 1; // guarded by lock
    private boolean ready; // guarded by lock: set once the connection is there
    private boolean closed; // guarded by lock
    /** Set as the pool leaves the cluster: members it sees go then are its own doing. */
    private boolean ended; // guarded by lock
    private boolean terminating; // guarded by lock
    /** Counts the times the pool was left without members: a wait for members belongs to one of them. */
    private long memberless; // guarded by lock
    /** Why the waiting work failed, after the wait for a member ran out; null while it may come. */
    private @Nullable String noMembers; // guarded by lock

    /** A member as the pool sees it: its lanes and the work in flight there. */
    private static final class Place {
        final ClusterBackend.Member member;
        final int firstWorker;
        final BitSet busy = new BitSet();
        final Set<Flight> flights = new LinkedHashSet<>();
        /** Work whose answer did not come back while the member is {@link #paused}: lost with it, or sent again. */
        final List<Flight> limbo = new ArrayList<>();
        /** Set while the member takes no work: its last answer did not come back (it may be dying). */
        boolean paused;
        /** Null: ready; else the initializer is to run ({@link #UNINITIALIZED}), runs ({@link #INITIALIZING}) or failed. */
        @Nullable Object init;

        Place(ClusterBackend.Member member, int firstWorker, @Nullable Object init) {
            this.member = member;
            this.firstWorker = firstWorker;
            this.init = init;
        }

        int free() {
            return init == null && !paused ? member.threads() - busy.cardinality() : 0;
        }
    }

    /** How long a member whose connection broke gets no work ({@link #pause}). */
    private static final long PAUSE_MILLIS = 1_000;
    private static final Object UNINITIALIZED = new Object();
    private static final Object INITIALIZING = new Object();

    /** Work sent to a lane of a member. */
    private static final class Flight {
        final Work work;
        final Place place;
        final int lane;
        volatile @Nullable CompletableFuture<byte[]> remote;
        volatile @Nullable ScheduledFuture<?> limit;

        Flight(Work work, Place place, int lane) {
            this.work = work;
            this.place = place;
            this.lane = lane;
        }

        int worker() {
            return place.firstWorker + lane;
        }
    }

    ClusterPool(Pool.ClusterBuilder b) {
        super(b, b.join.isEmpty() ? "cluster, a member in this JVM" : "cluster " + b.clusterName);
        this.initializer = b.initializer == null ? null : Serialization.of(b.initializer, "the initializer");
        this.retries = b.retries;
        this.memberWaitNanos = b.memberWait.toNanos();
        this.timer = b.taskTimeout == null ? null : new TaskTimer(b.taskTimeout);
        ClusterBackend backend = ServiceLoader.load(ClusterBackend.class).findFirst().orElseThrow(() ->
                new IllegalStateException("Pool.cluster() needs the weft-cluster module on the class path"
                        + " (Maven: dev.weft:weft-cluster), which runs the pool on Hazelcast"));
        synchronized (lock) {
            memberless++;
        }
        this.connection = backend.connect(new ClusterBackend.Settings(Optional.ofNullable(b.clusterName), b.join,
                b.workers, b.memberWait), this);
        synchronized (lock) {
            ready = true;
        }
        awaitMembers();
        dispatch();
    }

    @Override
    public int workers() {
        synchronized (lock) {
            return places.values().stream().mapToInt(p -> p.init == null ? p.member.threads() : 0).sum();
        }
    }

    @Override
    String workerName(int n) {
        return workerNames.getOrDefault(n, "worker " + n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> submit(Job<R> job) {
        Objects.requireNonNull(job, "job");
        CompletableFuture<Object> f = new PoolFuture<>();
        Work w = work(job, f);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the pool is closed: it accepts no more work");
            }
            events.queued(w.seen);
            queue.add(w);
        }
        dispatch();
        return (CompletableFuture<R>) f;
    }

    // ---- members

    @Override
    public void joined(ClusterBackend.Member member) {
        Place p;
        synchronized (lock) {
            if (terminating || places.containsKey(member.id())) {
                return;
            }
            p = new Place(member, nextWorker, initializer == null ? null : UNINITIALIZED);
            nextWorker += member.threads();
            places.put(member.id(), p);
            noMembers = null;
        }
        for (int lane = 0; lane < member.threads(); lane++) {
            workerNames.put(p.firstWorker + lane, "member " + member.name() + " thread " + (lane + 1));
            events.workerStarted(p.firstWorker + lane);
        }
        dispatch();
    }

    /** Runs the pool's initializer on {@code member}; its lanes take work once it has run. */
    private void initialize(ClusterBackend.Member member) {
        var _ = connection.run(member, Objects.requireNonNull(initializer)).whenComplete((answer, e) -> {
            Throwable failure = e;
            if (failure == null) {
                try {
                    var _ = MemberWork.result(answer);
                } catch (Throwable t) {
                    failure = t;
                }
            }
            synchronized (lock) {
                Place p = places.get(member.id());
                if (p == null) {
                    return; // gone meanwhile
                }
                p.init = failure == null ? null : new IllegalStateException(
                        "the pool's initializer failed on member " + member.name(), failure);
            }
            if (failure != null) {
                LOG.log(Level.WARNING, "the pool's initializer failed on member " + member.name()
                        + ": the member takes none of its work", failure);
            }
            dispatch();
        });
    }

    @Override
    public void left(ClusterBackend.Member member, String why) {
        List<Flight> lost;
        Place p;
        boolean none;
        boolean ending;
        synchronized (lock) {
            p = places.remove(member.id());
            if (p == null) {
                return;
            }
            lost = new ArrayList<>(p.flights);
            lost.addAll(p.limbo);
            p.flights.clear();
            p.limbo.clear();
            none = places.isEmpty();
            if (none) {
                memberless++;
            }
            ending = ended;
        }
        if (!ending) { // the pool's own leaving is no news
            LOG.log(Level.WARNING, "member " + member.name() + " is gone (" + why + ")" + (lost.isEmpty() ? "" : ": its "
                    + lost.size() + " piece(s) of work in flight are queued again, for the other members")
                    + (none ? "; the pool has no member left: its work waits up to "
                            + Duration.ofNanos(memberWaitNanos) + " (memberWait) for one" : ""));
        }
        for (int lane = 0; lane < member.threads(); lane++) {
            events.workerDied(p.firstWorker + lane, "member " + member.name() + " left: " + why);
        }
        for (Flight f : lost) {
            endLimit(f);
            events.failed(f.work.seen, f.worker(), new MemberLostException(member.name(), why));
            requeue(f.work, new MemberLostException(member.name(), why));
        }
        awaitMembers();
        dispatch();
    }

    /** Puts {@code w} back in the queue (first), split if it is a chunk, or fails it with {@code failure}. */
    private void requeue(Work w, RuntimeException failure) {
        List<Work> again = retry(w, true, retries);
        synchronized (lock) {
            if (!terminating && !again.isEmpty()) {
                again.forEach(p -> events.queued(p.seen));
                again.reversed().forEach(queue::addFirst); // the oldest work first
                return;
            }
        }
        complete(w, null, terminatingNow() ? cancelled("the pool was terminated") : failure);
    }

    private boolean terminatingNow() {
        synchronized (lock) {
            return terminating;
        }
    }

    /** With no member now, fails the waiting work if none comes within the member wait. */
    private void awaitMembers() {
        long era;
        synchronized (lock) {
            if (!places.isEmpty() || terminating) {
                return;
            }
            era = memberless;
        }
        var _ = CompletableFuture.runAsync(() -> noMemberCame(era),
                CompletableFuture.delayedExecutor(memberWaitNanos, TimeUnit.NANOSECONDS, TIMERS));
    }

    private void noMemberCame(long era) {
        synchronized (lock) {
            if (!places.isEmpty() || memberless != era || terminating) {
                return;
            }
            noMembers = "no member of the cluster able to run work came within the pool's memberWait ("
                    + Duration.ofNanos(memberWaitNanos) + "): start a weft worker (see the README's cluster"
                    + " section), or give the pool longer";
        }
        dispatch();
    }

    // ---- work out and back

    /** Sends queued work to the freest members while there is both. */
    private void dispatch() {
        List<Flight> sends = new ArrayList<>();
        List<Work> refused = new ArrayList<>();
        List<ClusterBackend.Member> initialize = new ArrayList<>();
        @Nullable RuntimeException why = null;
        synchronized (lock) {
            if (!ready) {
                return;
            }
            for (Place p : places.values()) {
                if (p.init == UNINITIALIZED) {
                    p.init = INITIALIZING;
                    initialize.add(p.member);
                }
            }
            while (!queue.isEmpty()) {
                Place p = freest();
                if (p == null) {
                    why = refusal();
                    if (why != null) {
                        refused.addAll(queue);
                        queue.clear();
                    }
                    break;
                }
                Work w = queue.poll();
                if (w.future.isDone()) {
                    continue; // cancelled before it started: dropped
                }
                int lane = p.busy.nextClearBit(0);
                p.busy.set(lane);
                Flight f = new Flight(w, p, lane);
                p.flights.add(f);
                sends.add(f);
            }
        }
        for (Work w : refused) {
            complete(w, null, Objects.requireNonNull(why));
        }
        initialize.forEach(this::initialize);
        sends.forEach(this::send);
        checkDrained();
    }

    private @Nullable Place freest() {
        Place best = null;
        for (Place p : places.values()) {
            if (p.free() > 0 && (best == null || p.free() > best.free())) {
                best = p;
            }
        }
        return best;
    }

    /** Why the queued work can never run, or null while a member may take it. */
    private @Nullable RuntimeException refusal() {
        if (noMembers != null) {
            return new IllegalStateException(noMembers);
        }
        IllegalStateException broken = null;
        for (Place p : places.values()) {
            if (p.init == null || p.init == UNINITIALIZED || p.init == INITIALIZING) {
                return null;
            }
            broken = (IllegalStateException) p.init;
        }
        return broken; // every member's initializer failed
    }

    private void send(Flight f) {
        events.started(f.work.seen, f.worker());
        CompletableFuture<byte[]> remote = connection.run(f.place.member, f.work.job);
        f.remote = remote;
        if (timer != null) {
            f.limit = timer.start(() -> expire(f));
        }
        var _ = remote.whenComplete((answer, e) -> landed(f, answer, e)); // on the backend's thread: no hand-off
    }

    /** Takes {@code f} off its member; false if something else already did (its member left, it expired, terminate). */
    private boolean land(Flight f) {
        synchronized (lock) {
            if (!f.place.flights.remove(f)) {
                return false;
            }
            f.place.busy.clear(f.lane);
            return true;
        }
    }

    private void landed(Flight f, byte @Nullable [] answer, @Nullable Throwable e) {
        if (!land(f)) {
            return;
        }
        endLimit(f);
        if (e == null) {
            settle(f, Objects.requireNonNull(answer));
        } else {
            events.failed(f.work.seen, f.worker(), e);
            pause(f);
        }
        dispatch();
    }

    /**
     * The work of {@code f} did not reach its member, or its answer did not come back: the member may
     * be dying (the cluster takes a few seconds to say so), or the network faltered. The member gets
     * no work for a while; the work waits in limbo: if the member leaves meanwhile, the work is lost
     * with it ({@link #left}: it counts against the work's retries); if not, it is queued again, free.
     */
    private void pause(Flight f) {
        Place p = f.place;
        boolean gone;
        synchronized (lock) {
            gone = places.get(p.member.id()) != p;
            if (!gone) {
                p.limbo.add(f);
                if (p.paused) {
                    return;
                }
                p.paused = true;
            }
        }
        if (gone) { // it left already
            requeue(f.work, new MemberLostException(p.member.name(), "it left the cluster"));
            return;
        }
        var _ = CompletableFuture.runAsync(() -> {
            synchronized (lock) {
                p.paused = false;
                if (places.get(p.member.id()) == p) {
                    p.limbo.reversed().forEach(back -> queue.addFirst(back.work));
                    p.limbo.forEach(back -> events.queued(back.work.seen));
                    p.limbo.clear();
                }
            }
            dispatch();
        }, CompletableFuture.delayedExecutor(PAUSE_MILLIS, TimeUnit.MILLISECONDS, TIMERS));
    }

    /** Completes the work of {@code f} with the member's answer; the listeners are told first. */
    private void settle(Flight f, byte[] answer) {
        Object value;
        try {
            value = MemberWork.result(answer);
        } catch (Throwable failure) {
            events.failed(f.work.seen, f.worker(), failure);
            complete(f.work, null, failure);
            return;
        }
        events.finished(f.work.seen, f.worker());
        complete(f.work, value, null);
    }

    private void expire(Flight f) {
        if (!land(f)) {
            return;
        }
        CompletableFuture<byte[]> remote = f.remote;
        if (remote != null) {
            remote.cancel(true); // interrupts it on the member
        }
        RuntimeException late = Objects.requireNonNull(timer).exceeded("the task",
                ": it was interrupted on member " + f.place.member.name());
        events.failed(f.work.seen, f.worker(), late);
        complete(f.work, null, late);
        dispatch();
    }

    private static void endLimit(Flight f) {
        ScheduledFuture<?> limit = f.limit;
        if (limit != null) {
            limit.cancel(false);
        }
    }

    private static void complete(Work w, @Nullable Object value, @Nullable Throwable failure) {
        COMPLETING.set(Boolean.TRUE);
        try {
            if (failure == null) {
                w.future.complete(value);
            } else {
                w.future.completeExceptionally(failure);
            }
        } finally {
            COMPLETING.remove();
        }
    }

    // ---- the end

    private void checkDrained() {
        synchronized (lock) {
            if (!closed || !queue.isEmpty()
                    || places.values().stream().anyMatch(p -> !p.flights.isEmpty() || !p.limbo.isEmpty())) {
                return;
            }
        }
        drained.complete(null);
    }

    @Override
    public void close() {
        checkNotOwnThread();
        synchronized (lock) {
            closed = true;
        }
        checkDrained();
        Waiting.settle(drained);
        end();
    }

    @Override
    public void terminate() {
        checkNotOwnThread();
        List<Work> dropped = new ArrayList<>();
        List<Flight> stopped = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            terminating = true;
            dropped.addAll(queue);
            queue.clear();
            for (Place p : places.values()) {
                stopped.addAll(p.flights);
                stopped.addAll(p.limbo);
                p.flights.clear();
                p.limbo.clear();
                p.busy.clear();
            }
        }
        for (Flight f : stopped) {
            endLimit(f);
            CompletableFuture<byte[]> remote = f.remote;
            if (remote != null) {
                remote.cancel(true); // interrupts it on the member
            }
            dropped.add(f.work);
        }
        dropped.forEach(w -> complete(w, null, cancelled("the pool was terminated")));
        drained.complete(null);
        end();
    }

    /** Leaves the cluster (stopping this JVM's member, if any). */
    private void end() {
        synchronized (lock) {
            ended = true;
        }
        Waiting.onThread(() -> {
            connection.close();
            if (timer != null) {
                timer.shutdown();
            }
        });
        events.ended();
    }

    private static void checkNotOwnThread() {
        if (COMPLETING.get() != null) {
            throw new IllegalStateException("a pool cannot be closed from one of its own threads (a callback of one"
                    + " of its futures runs there): it would wait for itself; close it from elsewhere");
        }
    }

    @Override
    public String toString() {
        return "cluster pool of " + workers() + " worker threads";
    }
}
