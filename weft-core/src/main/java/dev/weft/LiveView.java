package dev.weft;

import dev.weft.internal.LivePools;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * The live view of a running program ({@code weft ps}, {@code weft pstree}): the registry of the
 * loops running in this process, and the platform MBean {@value #OBJECT_NAME} that shows them (in
 * JConsole and JDK Mission Control too), read through the JDK's attach mechanism, with no port of
 * Weft's own.
 *
 * <p>A run registers when it starts and unregisters when it ends (a map entry each); the MBean is
 * registered once, when the first run starts, by a daemon thread: making the platform MBean server
 * loads much of {@code java.management}, tenths of a second that the first run does not wait for
 * (so a program may be seen by {@code weft ps} a moment after its first loop starts). Nothing is
 * added to the loop's switches: the view reads each loop's state from the MBean's thread as a
 * {@link LoopSnapshot}, without the turn, so it works on a stalled or deadlocked loop too.
 *
 * <p>The MBean's read-only attributes {@code Json}, {@code Table} and {@code Tree} render the loops
 * and the {@link LiveWarnings} with busy time since each run began; its operation
 * {@code view(format, intervalMillis)} renders one of them ({@code "json"}, {@code "table"},
 * {@code "tree"}) with busy time over the next {@code intervalMillis} (0: since each run began).
 */
final class LiveView {
    static final String OBJECT_NAME = "dev.weft:type=Loops";
    private static final Map<Scheduler, Run> RUNS = new ConcurrentHashMap<>();
    private static final AtomicLong RUN_NUMBERS = new AtomicLong();

    static { // from a thread of its own: the platform MBean server takes a while to start
        Thread.ofPlatform().daemon().name("weft-live-view").start(LiveView::registerBean);
    }

    private LiveView() {}

    /** A registered run: its number in the process, and the thread that runs it. */
    private record Run(long number, String thread) {}

    /** {@code s} starts running. */
    static void register(Scheduler s) {
        RUNS.put(s, new Run(RUN_NUMBERS.incrementAndGet(), s.runner()));
    }

    /** {@code s} has ended. */
    static void unregister(Scheduler s) {
        RUNS.remove(s);
    }

    /** The running loops, by number, with busy time since each began. */
    static List<LoopSnapshot> snapshots() {
        List<LoopSnapshot> out = new ArrayList<>();
        RUNS.forEach((s, r) -> out.add(LoopSnapshot.read(s, r.number(), r.thread())));
        out.sort(Comparator.comparingLong(LoopSnapshot::loop));
        return out;
    }

    /** The running loops, with busy time over the next {@code millis} for those running all along. */
    static List<LoopSnapshot> sampled(long millis) throws InterruptedException {
        if (millis <= 0) {
            return snapshots();
        }
        Map<Long, LoopSnapshot> before = new HashMap<>();
        snapshots().forEach(l -> before.put(l.loop(), l));
        Thread.sleep(millis);
        List<LoopSnapshot> out = new ArrayList<>();
        for (LoopSnapshot l : snapshots()) {
            LoopSnapshot earlier = before.get(l.loop());
            out.add(earlier == null ? l : l.since(earlier));
        }
        return out;
    }

    /** The loops and their warnings, then the open pools, as {@code format}: "json", "table" or "tree". */
    static String view(String format, long intervalMillis) throws InterruptedException {
        if (!List.of("json", "table", "tree").contains(format)) {
            throw new IllegalArgumentException("format must be json, table or tree, not '" + format + "'");
        }
        List<LoopSnapshot> loops = sampled(intervalMillis);
        List<LiveWarnings.Warning> warnings = LiveWarnings.of(loops, LiveWarnings.Thresholds.DEFAULT);
        List<LivePools.View> pools = LivePools.views();
        long now = System.nanoTime();
        return switch (format) {
            case "json" -> LiveText.json(loops, warnings, pools, now);
            case "table" -> LiveText.table(loops, warnings) + LiveText.pools(pools, now);
            default -> LiveText.tree(loops, warnings) + LiveText.pools(pools, now);
        };
    }

    /** Registers the MBean: once per class loader of Weft. */
    private static void registerBean() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new Bean(), new ObjectName(OBJECT_NAME));
        } catch (InstanceAlreadyExistsException e) {
            // another copy of Weft in this process (another class loader) shows its own loops
        } catch (JMException | RuntimeException e) {
            System.getLogger("dev.weft").log(System.Logger.Level.WARNING,
                    "could not register the live view's MBean " + OBJECT_NAME + ": weft ps will not see this process", e);
        }
    }

    /** The MBean: a DynamicMBean, so that no public type is needed. */
    private static final class Bean implements DynamicMBean {
        private static final List<String> ATTRIBUTES = List.of("Json", "Table", "Tree");

        @Override
        public Object getAttribute(String name) throws AttributeNotFoundException, MBeanException {
            if (!ATTRIBUTES.contains(name)) {
                throw new AttributeNotFoundException("no attribute " + name + "; there are " + ATTRIBUTES);
            }
            return render(name.toLowerCase(java.util.Locale.ROOT), 0);
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
            throw new AttributeNotFoundException("the attributes of " + OBJECT_NAME + " are read-only");
        }

        @Override
        public AttributeList getAttributes(String[] names) {
            AttributeList out = new AttributeList();
            for (String n : names) {
                try {
                    out.add(new Attribute(n, getAttribute(n)));
                } catch (JMException e) {
                    // left out, as the contract of getAttributes says
                }
            }
            return out;
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList(); // none is writable
        }

        @Override
        public Object invoke(String action, Object[] params, String[] signature) throws MBeanException,
                ReflectionException {
            if (!action.equals("view") || params.length != 2 || !(params[0] instanceof String format)
                    || !(params[1] instanceof Long millis)) {
                throw new ReflectionException(new NoSuchMethodException(action + Arrays.toString(signature)),
                        "the operation is view(String format, long intervalMillis)");
            }
            return render(format, millis);
        }

        private static String render(String format, long millis) throws MBeanException {
            try {
                return view(format, millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MBeanException(e, "interrupted while sampling the loops");
            } catch (IllegalArgumentException e) {
                throw new MBeanException(e, e.getMessage());
            }
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            MBeanAttributeInfo[] attributes = ATTRIBUTES.stream().map(n -> new MBeanAttributeInfo(n, "java.lang.String",
                    "the running loops, their tasks and warnings, as " + n.toLowerCase(java.util.Locale.ROOT)
                    + " (busy time since each loop started)", true, false, false)).toArray(MBeanAttributeInfo[]::new);
            MBeanOperationInfo view = new MBeanOperationInfo("view", "the running loops as json, table or tree, with"
                    + " busy time over the next intervalMillis (0: since each loop started)", new MBeanParameterInfo[] {
                        new MBeanParameterInfo("format", "java.lang.String", "json, table or tree"),
                        new MBeanParameterInfo("intervalMillis", "long", "how long to sample busy time")},
                    "java.lang.String", MBeanOperationInfo.INFO);
            return new MBeanInfo(LiveView.class.getName(), "Weft's loops: tasks, waits, stalls and deadlocks"
                    + " (weft ps PID)", attributes, null, new MBeanOperationInfo[] {view}, null);
        }
    }
}
