package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void aDeadlineIsAnInstantOfTheLoopClock() {
        Loops.virtual(() -> {
            Deadline d = Deadline.after(Duration.ofSeconds(3));
            assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(3));
            assertThat(d.hasPassed()).isFalse();
            Weft.sleepUntil(d);
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(3).toNanos());
            assertThat(d.hasPassed()).isTrue();
            assertThat(d.remaining()).isZero();
            assertThat(d.plus(SECOND).remaining()).isEqualTo(SECOND);
            assertThat(d.plus(SECOND.negated())).isLessThan(d);
            assertThat(Deadline.after(SECOND.negated())).as("a negative delay means now").isEqualTo(Deadline.after(Duration.ZERO));
        });
    }

    @Test
    void plusSaturatesInsteadOfOverflowing() {
        Loops.virtual(() -> {
            Deadline far = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE));
            assertThat(far.plus(Duration.ofDays(1))).isEqualTo(far);
            assertThat(far.plus(Duration.ofSeconds(Long.MIN_VALUE)).hasPassed()).isTrue();
        });
    }

    @Test
    void aDeadlineOfAnotherRunIsRejectedInsteadOfSleepingForTheWrongTime() {
        Deadline old = Loops.virtual(() -> Deadline.after(SECOND));
        Loops.virtual(() -> {
            Weft.sleep(Duration.ofSeconds(5));
            assertThatThrownBy(() -> Weft.sleepUntil(old)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another loop, or of an earlier run");
            assertThatThrownBy(() -> Weft.timeoutAt(old)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Weft.moveOnAt(old, Weft::yield)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CancelScope.create().rescheduleAt(old)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(old::remaining).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> old.compareTo(Deadline.after(SECOND))).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void noDeadlineIsEmptyAndAScopesDeadlineIsTheOneItWasGiven() {
        Loops.virtual(() -> {
            assertThat(Weft.currentEffectiveDeadline()).isEmpty();
            Deadline d = Deadline.after(Duration.ofSeconds(7));
            Weft.moveOnAt(d, () -> {
                assertThat(Weft.currentEffectiveDeadline()).contains(d);
            });
            CancelScope s = CancelScope.create();
            assertThat(s.deadline()).isEmpty();
            s.rescheduleAt(d);
            assertThat(s.deadline()).contains(d);
            s.removeDeadline();
            assertThat(s.deadline()).isEmpty();
        });
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void nullIsRejectedAtTheCallNamingTheParameter() {
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Weft.sleepUntil(null)).isInstanceOf(NullPointerException.class).hasMessage("deadline");
            assertThatThrownBy(() -> Deadline.after(null)).isInstanceOf(NullPointerException.class).hasMessage("delay");
            assertThatThrownBy(() -> Weft.timeoutAt(null)).isInstanceOf(NullPointerException.class).hasMessage("deadline");
        });
    }
}
