package dev.weft.testing;

import static dev.weft.testing.Loops.run;
import static dev.weft.testing.RawHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.TcpConnection;
import dev.weft.testing.RawHttp.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link MockApi.Builder}: its options, checked at once and named as the builder spells them, and where it runs. */
class MockApiBuilderTest {
    @Test
    void theOptionsSetHowEveryRequestIsAnsweredUnlessItsQuerySaysOtherwise() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().latency(Duration.ofMillis(1)).jitter(Duration.ofMillis(1))
                    .distribution(MockApi.Distribution.EXPONENTIAL).size(3).status(203).errorRate(0)
                    .mode(MockApi.Mode.NORMAL).build();
                    TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                Response r = get(c, "/x");
                assertThat(r.status()).isEqualTo(203);
                assertThat(r.body()).hasSize(3);
                assertThat(get(c, "/x?size=5&status=200").body()).hasSize(5);
                assertThat(api.statistics().requests()).isEqualTo(2);
            }
        });
    }

    @Test
    void aValueOutOfRangeIsRejectedAtOnceNamingTheOption() {
        MockApi.Builder b = MockApi.builder();
        assertThatThrownBy(() -> b.size(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size must be a whole number of bytes from 0 to 16777216, got -1");
        assertThatThrownBy(() -> b.size((16 << 20) + 1)).hasMessageStartingWith("size must be");
        assertThatThrownBy(() -> b.status(99)).hasMessage("status must be an HTTP status from 100 to 599, got 99");
        assertThatThrownBy(() -> b.status(600)).hasMessageStartingWith("status must be");
        assertThatThrownBy(() -> b.errorRate(1.5)).hasMessage("errorRate must be a number from 0 to 1, got 1.5");
        assertThatThrownBy(() -> b.errorRate(Double.NaN)).hasMessageStartingWith("errorRate must be");
        assertThatThrownBy(() -> b.latency(Duration.ofMillis(-1))).hasMessage("latency must be from 0 to 1 hour, got PT-0.001S");
        assertThatThrownBy(() -> b.jitter(Duration.ofHours(1).plusNanos(1))).hasMessageStartingWith("jitter must be");
        assertThatThrownBy(() -> b.latency(Duration.ofSeconds(Long.MAX_VALUE))).hasMessageStartingWith("latency must be");
        assertThatThrownBy(() -> b.port(65536)).hasMessage("port must be from 0 to 65535, got 65536");
        assertThatThrownBy(() -> b.port(-1)).hasMessageStartingWith("port must be");
        b.size(16 << 20).status(100).errorRate(1).latency(Duration.ofHours(1)).jitter(Duration.ZERO).port(65535);
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void nullIsRejectedNamingTheParameter() {
        MockApi.Builder b = MockApi.builder();
        assertThatThrownBy(() -> b.latency(null)).isInstanceOf(NullPointerException.class).hasMessage("latency");
        assertThatThrownBy(() -> b.jitter(null)).isInstanceOf(NullPointerException.class).hasMessage("jitter");
        assertThatThrownBy(() -> b.distribution(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("distribution");
        assertThatThrownBy(() -> b.mode(null)).isInstanceOf(NullPointerException.class).hasMessage("mode");
    }

    @Test
    void buildOutsideATaskSaysToBuildInTheBackground() {
        assertThatThrownBy(() -> MockApi.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be called from a task").hasMessageContaining("buildInBackground()");
    }

    @Test
    void inTheBackgroundItServesUntilClosedAndAPortInUseIsAnIOException() throws Exception {
        int port;
        try (MockApi.Background api = MockApi.builder().size(7).buildInBackground()) {
            assertThat(api.baseUrl()).startsWith("http://127.0.0.1:");
            port = Integer.parseInt(api.baseUrl().substring(api.baseUrl().lastIndexOf(':') + 1));
            String body = run(() -> {
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", port)) {
                    return get(c, "/x").body();
                }
            });
            assertThat(body).hasSize(7);
            assertThatThrownBy(() -> MockApi.builder().port(port).buildInBackground()).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).as("closed: nothing listens any more")
                .isInstanceOf(ConnectException.class);
    }
}
