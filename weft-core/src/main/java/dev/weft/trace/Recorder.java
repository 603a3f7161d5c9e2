package dev.weft.trace;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Records what the tasks of loops and the workers of pools did over time, for a trace viewer, an
 * HTML timeline and the advisor's {@link #summary()}.
 *
 * <p>Slices go into a ring buffer of fixed capacity: a long run keeps its latest slices and counts
 * the ones it {@link #dropped()}, which the written files say. Recording is thread-safe and, once a
 * label has been seen, allocates nothing; reading ({@link #slices()} and the writers) takes a consistent snapshot of each slice and
 * may run while others record.
 *
 * <pre>{@code
 * Recorder recorder = Recorder.create();
 * try (Loop loop = Loop.builder().recorder(recorder).build()) {
 *     loop.run(() -> ...);
 * }
 * recorder.writeTimeline(Path.of("timeline.html"));   // open it in a browser
 * System.out.println(recorder.summary());             // the advisor's verdict
 * }</pre>
 *
 * <p>{@code Loop.builder().trace(path)} does all of this for one loop, and the environment variable
 * {@code WEFT_TRACE=path} for every loop and pool of a program.
 */
public final class Recorder {
    /** The capacity of {@link #create()}: about a million slices, some 40 MB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;
    /** The largest capacity {@link #create(int)} accepts. */
    public static final int MAX_CAPACITY = 1 << 26;

    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    /** How many activations each recording recorder has; guarded by itself. */
    private static final Map<Recorder, Integer> ACTIVATIONS = new java.util.HashMap<>();
    /** The keys of {@link #ACTIVATIONS}, republished on each change: {@link #recording()} costs a read. */
    private static volatile Set<Recorder> recording = Set.of();

    private static final Slice.Kind[] KINDS = Slice.Kind.values();
    /** A slot's sequence number before its first slice, and while a slice is being written into it. */
    private static final long EMPTY = -1;
    private static final long WRITING = Long.MIN_VALUE;
    private static final int MAX_LABELS = 4096;
    private static final String TOO_MANY_LABELS = "(one of too many names)";

    /*
     * A slot is a sequence number (the slice's; EMPTY, or WRITING while a writer holds it), two times, an int
     * packing the kind and the label's id, the track, and for the few slices that have one a detail
     * or the woken track. So a slice stores one reference in the common case: fewer stores, and fewer
     * cards for the collector to scan, than one array per field.
     */
    private final int mask;
    private final long[] seq;
    private final long[] times;
    private final int[] meta;
    private final @Nullable Track[] tracks;
    private final @Nullable Object[] extras;
    private final Map<String, Integer> labelIds = new ConcurrentHashMap<>();
    private volatile String[] labels = {"", TOO_MANY_LABELS};
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicInteger trackIds = new AtomicInteger();
    private final long origin = System.nanoTime();

    private Recorder(int capacity) {
        int size = Integer.highestOneBit(capacity - 1) << 1; // a power of two, at least capacity
        mask = size - 1;
        seq = new long[size];
        java.util.Arrays.fill(seq, EMPTY);
        times = new long[2 * size];
        meta = new int[size];
        tracks = new Track[size];
        extras = new Object[size];
        labelIds.put("", 0);
        labelIds.put(TOO_MANY_LABELS, 1);
    }

    /** A recorder of {@link #DEFAULT_CAPACITY} slices. */
    public static Recorder create() {
        return new Recorder(DEFAULT_CAPACITY);
    }

    /**
     * A recorder that keeps the latest {@code capacity} slices (rounded up to a power of two).
     *
     * @throws IllegalArgumentException if capacity is below 2 or above {@link #MAX_CAPACITY}
     */
    public static Recorder create(int capacity) {
        if (capacity < 2 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("a recorder's capacity is a number of slices from 2 to "
                    + MAX_CAPACITY + ", not " + capacity);
        }
        return new Recorder(capacity);
    }

    /** A new lane named {@code name} in {@code group} (a loop's run or a pool). Thread-safe. */
    public Track track(String group, String name) {
        return new Track(this, trackIds.incrementAndGet(), Objects.requireNonNull(group, "group"),
                Objects.requireNonNull(name, "name"));
    }

    /** {@code System.nanoTime()} when this recorder was created: time zero of the files it writes. */
    public long origin() {
        return origin;
    }

    /** How many slices were recorded so far, kept or not. */
    public long recorded() {
        return cursor.get();
    }

    /** How many of the recorded slices the ring buffer no longer holds. */
    public long dropped() {
        return Math.max(0, cursor.get() - (mask + 1));
    }

    /**
     * Records a slice; {@code extra} is its detail (a non-empty string) or the woken track, null for
     * most slices.
     */
    @SuppressWarnings("EnumOrdinal") // packed in memory for this recording only, never persisted
    void add(Track track, Slice.Kind kind, long start, long end, int label, @Nullable Object extra) {
        long n = cursor.getAndIncrement();
        int i = (int) (n & mask);
        long previous = n > mask ? n - (mask + 1) : EMPTY;
        // wait for the slice of the previous lap to be complete: only this writer waits for that value
        // (the next lap's waits for this one's), so no two writers hold a slot and no CAS is needed
        for (int spins = 0; (long) SEQ.getAcquire(seq, i) != previous; spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000); // the writer it waits for is off its core
            }
        }
        SEQ.setOpaque(seq, i, WRITING); // a reader skips the slot until the release below
        VarHandle.storeStoreFence();
        tracks[i] = track;
        times[2 * i] = start;
        times[2 * i + 1] = Math.max(start, end);
        meta[i] = label << 3 | kind.ordinal();
        if (extra != null || extras[i] != null) { // most slots never hold one: no store at all
            extras[i] = extra;
        }
        SEQ.setRelease(seq, i, n);
    }

    /**
     * The id of {@code label}, interned: a recording is meant to use few distinct labels (wait reasons,
     * job and mark names); past {@link #MAX_LABELS} new ones are all recorded as {@link #TOO_MANY_LABELS}.
     */
    int label(String label) {
        Integer id = labelIds.get(label);
        if (id != null) {
            return id;
        }
        return labels.length < MAX_LABELS ? labelIds.computeIfAbsent(label, this::intern) : label(TOO_MANY_LABELS);
    }

    private synchronized int intern(String label) { // under the map's lock for this key; serialised here
        String[] now = labels;
        String[] grown = java.util.Arrays.copyOf(now, now.length + 1);
        grown[now.length] = label;
        labels = grown; // published before the id is used in a slot, whose release store orders it
        return now.length;
    }

    /**
     * The slices the buffer holds, in the order they were recorded (a span is recorded when it ends).
     * A slice being written while this runs is left out.
     */
    public List<Slice> slices() {
        return snapshot().slices();
    }

    /** The slices held and the counts they go with, read together. */
    private record Snapshot(List<Slice> slices, long recorded, long dropped) {}

    private Snapshot snapshot() {
        long end = cursor.get();
        long begin = Math.max(0, end - (mask + 1));
        List<Slice> out = new ArrayList<>((int) (end - begin));
        String[] names = labels;
        for (long n = begin; n < end; n++) {
            int i = (int) (n & mask);
            if ((long) SEQ.getAcquire(seq, i) != n) {
                continue;
            }
            Track t = tracks[i];
            long from = times[2 * i];
            long to = times[2 * i + 1];
            int m = meta[i];
            Object x = extras[i];
            VarHandle.loadLoadFence();
            if ((long) SEQ.getOpaque(seq, i) == n && t != null) {
                String label = names[m >>> 3];
                out.add(new Slice(t, KINDS[m & 7], from, to, label, x instanceof String d ? d : "",
                        Optional.ofNullable(x instanceof Track w ? w : null)));
            }
        }
        return new Snapshot(out, end, begin);
    }

    /**
     * Writes the slices as Chrome trace-event JSON, which ui.perfetto.dev and {@code chrome://tracing}
     * open: a process per loop or pool, a thread per task or worker, times in microseconds from
     * {@link #origin()}.
     */
    public void writeChromeTrace(Path file) throws IOException {
        writeChromeTrace(snapshot(), Objects.requireNonNull(file, "file"));
    }

    /**
     * Writes a self-contained HTML timeline (nothing loaded from elsewhere): a lane per task or
     * worker, running, waiting and ready shown over time, details on hover, zoom.
     */
    public void writeTimeline(Path file) throws IOException {
        writeTimeline(snapshot(), Objects.requireNonNull(file, "file"));
    }

    private void writeChromeTrace(Snapshot s, Path file) throws IOException {
        ChromeTrace.write(s.slices(), origin, s.recorded(), s.dropped(), file);
    }

    private void writeTimeline(Snapshot s, Path file) throws IOException {
        HtmlTimeline.write(s.slices(), origin, s.dropped(), Advisor.summarize(s.slices(), s.dropped()), file);
    }

    /** The advisor's reading of what was recorded: how busy each loop was, where time went, a verdict. */
    public Summary summary() {
        Snapshot s = snapshot();
        return Advisor.summarize(s.slices(), s.dropped());
    }

    /**
     * Writes the Chrome trace to {@code trace} and the HTML timeline next to it ({@code run.json} gives
     * {@code run.html}), and returns the timeline's path.
     */
    public Path write(Path trace) throws IOException {
        String name = Objects.requireNonNull(trace, "trace").getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        Path timeline = trace.resolveSibling(base + ".html");
        Snapshot s = snapshot(); // both files show the same slices
        writeChromeTrace(s, trace);
        writeTimeline(s, timeline);
        return timeline;
    }

    /**
     * A text timeline for a terminal: for each loop or pool, up to {@code lanes} lanes of
     * {@code width} columns, one character per time step ({@code #} running, {@code .} waiting,
     * {@code -} ready, {@code =} a pool worker's job, blank for nothing recorded), with a legend.
     *
     * @throws IllegalArgumentException if width is below 10 or lanes below 1
     */
    public String textTimeline(int width, int lanes) {
        return TextTimeline.render(slices(), width, lanes);
    }

    /**
     * The program's recorder when the environment variable {@code WEFT_TRACE} (or the system property
     * {@code weft.trace}) names a file: every loop that has no recorder of its own, and every pool,
     * records into it, and when the JVM exits it writes the Chrome trace to that file, the timeline
     * beside it ({@link #write(Path)}), and its {@link #summary()} to stderr. Empty otherwise.
     */
    public static Optional<Recorder> program() {
        return ProgramRecorder.get();
    }

    /**
     * The recorders in use: those of running loops and the program's own ({@code WEFT_TRACE}). Pools
     * record each job into every recorder recording when the job ends. A snapshot, read cheaply.
     */
    public static Set<Recorder> recording() {
        return recording;
    }

    /**
     * Adds this recorder to {@link #recording()} until the returned handle is closed; activations
     * nest. Loops do this for their run.
     */
    public Activation activate() {
        change(1);
        boolean[] closed = {false};
        return () -> {
            synchronized (closed) {
                if (!closed[0]) {
                    closed[0] = true;
                    change(-1);
                }
            }
        };
    }

    private void change(int by) {
        synchronized (ACTIVATIONS) {
            ACTIVATIONS.merge(this, by, (a, b) -> a + b == 0 ? null : a + b);
            recording = Set.copyOf(ACTIVATIONS.keySet());
        }
    }

    /** What {@link #activate()} returns: closing it ends the activation; closing it again does nothing. */
    @FunctionalInterface
    public interface Activation extends AutoCloseable {
        @Override
        void close();
    }
}
