package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every public method of the pool rejects a null argument at the call, naming it (decision 0013). */
@SuppressWarnings("NullAway") // passes null on purpose
class PoolNullRejectionTest {
    private static void rejects(String name, ThrowingCallable call) {
        assertThatThrownBy(call).as(name).isInstanceOf(NullPointerException.class).hasMessage(name);
    }

    @Test
    void everyMethodNamesItsNullArgument() {
        Fn<Integer, Integer> fn = x -> x;
        List<Integer> items = List.of(1);
        MapOptions o = MapOptions.builder().build();
        try (Pool pool = Pool.threads().workers(1).build()) {
            rejects("job", () -> pool.submit(null));
            rejects("job", () -> pool.apply(null));
            rejects("fn", () -> pool.map(null, items));
            rejects("items", () -> pool.map(fn, null));
            rejects("options", () -> pool.map(fn, items, null));
            rejects("fn", () -> pool.imap(null, items));
            rejects("items", () -> pool.imap(fn, null, o));
            rejects("options", () -> pool.imapUnordered(fn, items, null));
            rejects("fn", () -> pool.starmap(null, List.of()));
            rejects("arguments", () -> pool.starmap((Integer a, Integer b) -> a, null));
        }
        rejects("futures", () -> Pool.asCompleted(null));
        rejects("initializer", () -> Pool.threads().initializer(null));
        rejects("timeout", () -> Pool.processes().taskTimeout(null));
        rejects("options", () -> Pool.processes().jvmOptions(null));
        rejects("progress", () -> MapOptions.builder().progress(null));
    }

    @Test
    void optionsCheckTheirValueAtOnceNamingTheOption() {
        assertThatThrownBy(() -> Pool.threads().workers(0)).hasMessage("workers must be >= 1, got 0");
        assertThatThrownBy(() -> Pool.processes().retries(-1)).hasMessage("retries must be >= 0, got -1");
        assertThatThrownBy(() -> Pool.processes().maxTasksPerWorker(0)).hasMessage("maxTasksPerWorker must be >= 1, got 0");
        assertThatThrownBy(() -> MapOptions.builder().chunkSize(0)).hasMessage("chunkSize must be >= 1, got 0");
        assertThatThrownBy(() -> MapOptions.builder().maxInFlight(-2)).hasMessage("maxInFlight must be >= 1, got -2");
    }
}
