package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

/** Numbers written with six significant digits keep their value: only zeros after a decimal point go. */
class JsonTest {
    @Test
    void numbersKeepTheirValueWhenTrailingZerosAreTrimmed() {
        assertThat(Json.write(478360.33)).isEqualTo("478360");
        assertThat(Json.write(2207918.4)).isEqualTo("2.20792e+06");
        assertThat(Json.write(1500000.5)).isEqualTo("1.5e+06");
        assertThat(Json.write(0.1234)).isEqualTo("0.1234");
        assertThat(Json.write(12.5)).isEqualTo("12.5");
        assertThat(Json.write(3.0)).isEqualTo("3");
        for (double d : new double[] {478360.33, 2207918.4, 0.1234, 12.5, 1500000.5, 1.0e-7}) {
            assertThat((Double) Json.read(Json.write(d))).isCloseTo(d, withPercentage(0.001));
        }
    }
}
