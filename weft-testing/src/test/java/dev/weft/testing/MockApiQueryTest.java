package dev.weft.testing;

import static dev.weft.testing.Loops.run;
import static dev.weft.testing.RawHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TcpConnection;
import dev.weft.testing.RawHttp.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bad query parameter is answered 400, with a body that names it as the query spells it and says
 * what it may be; the connection stays open for the next request.
 */
class MockApiQueryTest {
    /** Answers {@code target} on a fresh mock API, then checks that the connection still serves. */
    private static Response answer(String target) throws Exception {
        return run(() -> {
            try (MockApi api = MockApi.builder().build();
                    TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                Response r = get(c, target);
                assertThat(get(c, "/next").status()).as("the next request on the connection").isEqualTo(200);
                return r;
            }
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            redirects=x                        | redirects must be a whole number from 0 to 2147483647, got 'x'
            redirects=2147483648               | redirects must be a whole number from 0 to 2147483647, got '2147483648'
            retry_after=abc                    | retry_after must be a whole number of seconds from 0 to 2147483647, got 'abc'
            retry_after=-5                     | retry_after must be a whole number of seconds from 0 to 2147483647, got '-5'
            retry_after=99999999999999999999   | retry_after must be a whole number of seconds from 0 to 2147483647, got '99999999999999999999'
            retry_after=+5                     | retry_after must be a whole number of seconds from 0 to 2147483647, got ' 5'
            error_rate=5                       | error_rate must be a number from 0 to 1, got '5'
            error_rate=NaN                     | error_rate must be a number from 0 to 1, got 'NaN'
            error_rate=-0.1                    | error_rate must be a number from 0 to 1, got '-0.1'
            latency_ms=-1                      | latency_ms must be a whole number of milliseconds from 0 to 3600000, got '-1'
            latency_ms=3600001                 | latency_ms must be a whole number of milliseconds from 0 to 3600000, got '3600001'
            jitter_ms=1.5                      | jitter_ms must be a whole number of milliseconds from 0 to 3600000, got '1.5'
            size=16777217                      | size must be a whole number of bytes from 0 to 16777216, got '16777217'
            status=600                         | status must be an HTTP status from 100 to 599, got '600'
            status=99                          | status must be an HTTP status from 100 to 599, got '99'
            mode=                              | mode must be normal, hang, close, malformed, trickle or endless, got ''
            mode                               | mode must be normal, hang, close, malformed, trickle or endless, got ''
            dist=zipf                          | dist must be uniform, normal or exponential, got 'zipf'
            size=%ZZ                           | the value of size is not percent-encoded correctly, got '%ZZ': a % must be followed by two hexadecimal digits
            a=%                                | the value of a is not percent-encoded correctly, got '%': a % must be followed by two hexadecimal digits
            %ZZ=1                              | a query parameter's name is not percent-encoded correctly, got '%ZZ': a % must be followed by two hexadecimal digits
            """)
    void aBadValueIsA400NamingTheParameterAndWhatItMayBe(String query, String message) throws Exception {
        Response r = answer("/x?size=10&" + query);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(message + "\n");
    }

    /** Every parameter's rejection is spelled from its query name and its rule, which the CLI shows too. */
    @ParameterizedTest
    @EnumSource(MockApi.Parameter.class)
    void everyParameterRejectsAValueWithItsNameAndRule(MockApi.Parameter p) throws Exception {
        Response r = answer("/x?" + p.queryName() + "=bad");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(p.queryName() + " must be " + p.allowed() + ", got 'bad'\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            latency_ms=0&jitter_ms=0&dist=NORMAL   | 200
            size=0&error_rate=0.0                  | 200
            status=599&error_rate=0                | 599
            error_rate=1                           | 500
            retry_after=0&redirects=0              | 200
            unknown=anything&page=2&size=5         | 200
            size=1%30                              | 200
            """)
    void valuesAtTheLimitsAndUnknownParametersAreAccepted(String query, int status) throws Exception {
        assertThat(answer("/x?" + query).status()).isEqualTo(status);
    }
}
