package dev.ebb.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestForkTest {

    @Test
    void aJvmSurefireGaveNoNumberIsTheFirst() {
        assertThat(TestFork.number(null)).isEqualTo(1);
    }

    @Test
    void theNumberSurefirePassedIsTaken() {
        assertThat(TestFork.number("2")).isEqualTo(2);
    }

    @Test
    void anEmptyOrUnreplacedNumberFailsInsteadOfPassingForTheFirst() {
        assertThatThrownBy(() -> TestFork.number("")).hasMessageContaining("argLine");
        assertThatThrownBy(() -> TestFork.number("${surefire.forkNumber}")).hasMessageContaining("not a fork number");
        assertThatThrownBy(() -> TestFork.number("0")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eachJvmHasTenLoopbackBlocksOfItsOwn() {
        assertThat(TestFork.loopbackPrefix(0)).isEqualTo("127." + (TestFork.number() - 1) * 10 + ".");
        assertThatThrownBy(() -> TestFork.loopbackBlock(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
