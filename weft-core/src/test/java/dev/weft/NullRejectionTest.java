package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Decision 0013: every public method and constructor of every public type of the exported packages
 * rejects a null argument at the call, with a {@link NullPointerException} whose message names the
 * parameter. Records and exceptions are values, whose constructors keep what they are given (the
 * {@code Success} of a {@code Void} task holds null; an exception's cause may be absent, as in the
 * JDK's): their constructors are not called. Each is called with null for each reference parameter in turn, the others given
 * harmless samples; instance methods are called on a sample of their type, inside a task of a
 * virtual-clock loop (so a call that waits instead of throwing moves on after a virtual second and is
 * reported, rather than hanging).
 */
class NullRejectionTest {
    private static final List<String> PACKAGES = List.of("dev.weft", "dev.weft.pool", "dev.weft.trace");

    /**
     * Interfaces that users implement and Weft calls (bodies, callbacks, listeners): their methods
     * receive arguments from Weft, they are not an API to call with null (their static methods are checked).
     */
    private static final Set<String> CALLBACKS = Set.of("Action", "Body", "TaskListener", "TcpServer$Handler",
            "TaskGroup$StartBody", "TaskGroup$GroupBody", "pool.Fn", "pool.Fn2", "pool.Job", "pool.PoolListener",
            "pool.PoolWorker", // the worker process's main, which serves its standard input
            "pool.ClusterBackend", "pool.ClusterBackend$Members", "pool.ClusterBackend$Connection"); // the SPI


    @Test
    void everyPublicMethodRejectsNullNamingTheParameter() throws Exception {
        List<Class<?>> types = exportedTypes();
        assertThat(types).as("the exported types were found").hasSizeGreaterThan(40);
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().build();
                Pool pool = Pool.threads().workers(1).build();
                HttpClient http = HttpClient.builder().build()) {
            loop.run(() -> {
                try (TaskGroup group = TaskGroup.open()) {
                    Samples samples = new Samples(group, pool, http);
                    for (Class<?> type : types) {
                        for (Executable e : publicMembers(type)) {
                            check(e, samples, checked, problems);
                        }
                    }
                    group.cancel();
                }
            });
        }
        System.out.println("NullRejectionTest: " + checked.size() + " parameters checked");
        assertThat(problems).as("calls that did not reject a null argument with an NPE naming it").isEmpty();
        assertThat(checked).as("spot checks of the coverage").contains("Weft.spawn(body)",
                "TaskGroup.spawn(body)", "Weft.await(task)", "Channel.send(item)", "TcpConnection.connect(host)");
    }

    private static void check(Executable e, Samples samples, List<String> checked, List<String> problems)
            throws Exception {
        Class<?> type = e.getDeclaringClass();
        boolean isStatic = e instanceof Constructor<?> || Modifier.isStatic(e.getModifiers());
        Object receiver = null;
        boolean takesReferences = Stream.of(e.getParameterTypes()).anyMatch(t -> !t.isPrimitive());
        if (!isStatic && takesReferences) {
            Optional<Object> r = samples.receiver(type);
            if (r.isEmpty()) {
                problems.add(name(e) + ": no sample " + type.getSimpleName() + " to call it on (add one to Samples)");
                return;
            }
            receiver = r.get();
        }
        Parameter[] params = e.getParameters();
        for (int i = 0; i < params.length; i++) {
            if (params[i].getType().isPrimitive()) {
                continue;
            }
            assertThat(params[i].isNamePresent()).as("compiled with -parameters").isTrue();
            String where = name(e) + "(" + params[i].getName() + ")";
            @Nullable Object[] args = new Object[params.length];
            for (int j = 0; j < params.length; j++) {
                args[j] = j == i ? null : samples.value(params[j].getType()).orElse(null);
                if (j != i && args[j] == null) {
                    problems.add(where + ": no sample " + params[j].getType().getName() + " (add one to Samples)");
                }
            }
            Optional<Throwable> thrown = invoke(e, receiver, args);
            checked.add(where);
            if (thrown.isEmpty()) {
                problems.add(where + ": accepted null");
            } else if (!(thrown.get() instanceof NullPointerException npe)) {
                problems.add(where + ": threw " + thrown.get());
            } else if (npe.getMessage() == null || !npe.getMessage().contains(params[i].getName())) {
                problems.add(where + ": NPE without the parameter's name: " + npe.getMessage());
            }
        }
    }

    /** Calls {@code e}; what it threw, or empty if it returned (or waited a virtual second, then moved on). */
    private static Optional<Throwable> invoke(Executable e, @Nullable Object receiver, @Nullable Object[] args) {
        @Nullable Throwable[] thrown = new Throwable[1];
        Weft.moveOnAfter(Duration.ofSeconds(1), () -> {
            try {
                if (e instanceof Constructor<?> c) {
                    c.newInstance(args);
                } else {
                    ((Method) e).invoke(receiver, args);
                }
            } catch (InvocationTargetException x) {
                thrown[0] = x.getCause();
            } catch (ReflectiveOperationException x) {
                throw new LinkageError(name(e), x);
            }
        });
        return Optional.ofNullable(thrown[0]);
    }

    private static String name(Executable e) {
        String type = e.getDeclaringClass().getName().substring(e.getDeclaringClass().getPackageName().length() + 1)
                .replace('$', '.');
        return e instanceof Constructor<?> ? "new " + type : type + "." + e.getName();
    }

    private static List<Executable> publicMembers(Class<?> type) {
        List<Executable> out = new ArrayList<>();
        if (CALLBACKS.contains(key(type))) { // what users implement; its static methods are an API all the same
            Stream.of(type.getDeclaredMethods())
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                            && !m.getName().equals("main")) // a worker process's: it serves its standard input
                    .forEach(out::add);
        } else {
            if (!Modifier.isAbstract(type.getModifiers()) && !type.isRecord() && !Throwable.class.isAssignableFrom(type)) {
                out.addAll(List.of(type.getConstructors()));
            }
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge() && !isCallback(type, m)
                        && !(m.getName().equals("equals") && m.getParameterCount() == 1)
                        && !(type.isEnum() && m.getName().equals("valueOf"))) {
                    out.add(m);
                }
            }
        }
        out.sort(Comparator.comparing(Executable::toString));
        return out;
    }

    /** Whether {@code m} implements a method of a callback interface (a listener's): Weft calls it. */
    private static boolean isCallback(Class<?> type, Method m) {
        return Stream.of(type.getInterfaces()).filter(i -> CALLBACKS.contains(key(i))).anyMatch(i -> {
            try {
                i.getMethod(m.getName(), m.getParameterTypes());
                return true;
            } catch (NoSuchMethodException e) {
                return false;
            }
        });
    }

    private static String key(Class<?> type) {
        String n = type.getName().substring("dev.weft.".length());
        return n;
    }

    /** The public types of the exported packages, nested ones included, read from the compiled classes. */
    private static List<Class<?>> exportedTypes() throws Exception {
        Path root = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        for (String pkg : PACKAGES) {
            try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    String simple = f.getFileName().toString().replace(".class", "");
                    Class<?> c = Class.forName(pkg + "." + simple, false, Weft.class.getClassLoader());
                    if (isPublic(c) && !c.isAnonymousClass() && !c.isSynthetic()) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }


    private static boolean isPublic(Class<?> c) {
        for (Class<?> x = c; x != null; x = x.getDeclaringClass()) {
            if (!Modifier.isPublic(x.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** Harmless non-null values by type, and a sample instance of each public type to call methods on. */
    private static final class Samples {
        private static final Map<Class<?>, Object> DEFAULTS = Map.of(boolean.class, false, int.class, 0,
                long.class, 0L, double.class, 0.0);
        private final Map<Class<?>, Object> byType = new HashMap<>();

        Samples(TaskGroup group, Pool pool, HttpClient http) throws Exception {
            Lock lock = new Lock();
            Task<Integer> done = Weft.spawn(() -> 1);
            Weft.await(done);
            Channel<Object> channel = Channel.unlimited();
            put(int.class, 1);
            put(long.class, 1L);
            put(boolean.class, false);
            put(double.class, 1.0);
            put(byte.class, (byte) 1);
            put(String.class, "x");
            put(Throwable.class, new RuntimeException("x"));
            put(CancelledException.class, new CancelledException("x"));
            put(DeadlineExceededException.class, new DeadlineExceededException("x"));
            put(SSLContext.class, SSLContext.getDefault());
            dev.weft.trace.Recorder recorder = dev.weft.trace.Recorder.create(16);
            put(dev.weft.trace.Recorder.class, recorder);
            put(dev.weft.trace.Track.class, recorder.track("g", "t"));
            put(Path.class, Path.of("x"));
            TcpServer server = TcpServer.listen(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 1,
                    c -> c.readLine(10));
            put(TcpServer.class, server);
            put(TcpConnection.class, TcpConnection.connect("127.0.0.1", server.port()));
            group.start(status -> {
                put(TaskGroup.TaskStatus.class, status);
                status.started(1);
            });
            put(CharSequence.class, "x");
            put(Object.class, "x");
            put(Duration.class, Duration.ofMillis(1));
            put(Deadline.class, Deadline.after(Duration.ofMillis(1)));
            put(Task.class, done);
            put(Outcome.class, done.outcome());
            put(TaskGroup.class, group);
            put(Lock.class, lock);
            put(Condition.class, new Condition(lock));
            put(Semaphore.class, new Semaphore(1));
            put(BoundedSemaphore.class, new BoundedSemaphore(1));
            put(CapacityLimiter.class, new CapacityLimiter(1));
            put(Event.class, new Event());
            put(Barrier.class, new Barrier(1));
            put(Queue.class, Queue.fifo());
            put(Channel.class, channel);
            put(Clause.class, channel.onReceive(v -> v));
            put(CancelScope.class, CancelScope.create());
            put(Loop.class, Loop.builder().build());
            put(Loop.Builder.class, Loop.builder());
            put(TcpOptions.class, TcpOptions.defaults());
            put(TcpOptions.Builder.class, TcpOptions.builder());
            put(InetSocketAddress.class, new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9));
            put(CompletableFuture.class, CompletableFuture.completedFuture(1));
            put(Optional.class, Optional.empty());
            put(Collection.class, List.of(done));
            put(List.class, List.of(done));
            put(Set.class, Set.of());
            put(Map.class, Map.of());
            put(Iterable.class, List.of());
            put(Stream.class, Stream.of());
            put(byte[].class, new byte[1]);
            put(MapOptions.class, MapOptions.builder().build());
            put(MapOptions.Builder.class, MapOptions.builder());
            put(Pool.Builder.class, Pool.threads());
            put(Pool.ThreadsBuilder.class, Pool.threads());
            put(Pool.class, pool);
            put(HttpClient.class, http);
            put(HttpStream.class, new HttpStream(new java.net.URI("http://127.0.0.1:9/"), 200,
                    java.net.http.HttpHeaders.of(Map.of(), (k, v) -> true), java.io.InputStream.nullInputStream(), () -> {}));
            put(Pool.ProcessesBuilder.class, Pool.processes());
            put(Pool.ClusterBuilder.class, Pool.cluster());
            put(ClassLoader.class, NullRejectionTest.class.getClassLoader());
            put(HttpClient.Builder.class, HttpClient.builder());
            put(HttpRequest.class, HttpRequest.get("http://127.0.0.1:9/"));
            put(java.net.URI.class, new java.net.URI("http://127.0.0.1:9/"));
        }

        private void put(Class<?> type, Object value) {
            byType.put(type, value);
        }

        /** A sample to call {@code type}'s instance methods on, if there is one. */
        Optional<Object> receiver(Class<?> type) {
            if (type.isEnum()) {
                return Optional.of(type.getEnumConstants()[0]);
            }
            return Optional.ofNullable(byType.get(type));
        }

        /** A harmless non-null value of {@code type}, if there is a sample. */
        Optional<Object> value(Class<?> type) {
            Object v = byType.get(type);
            if (v != null) {
                return Optional.of(v);
            }
            if (type.isArray()) {
                return Optional.of(Array.newInstance(type.getComponentType(), 0));
            }
            if (type.isEnum()) {
                return Optional.of(type.getEnumConstants()[0]);
            }
            return type.isInterface() && !type.isSealed() ? Optional.of(proxy(type)) : Optional.empty();
        }

        /** An implementation of {@code type} whose methods do nothing and return a default. */
        private static Object proxy(Class<?> type) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
                if (m.isDefault()) {
                    return InvocationHandler.invokeDefault(p, m, a);
                }
                if (m.getName().equals("toString")) {
                    return "a sample " + type.getSimpleName();
                }
                return DEFAULTS.get(m.getReturnType()); // null for a reference type
            });
        }
    }
}
