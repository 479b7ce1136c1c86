package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChildProcessesTest {

    private static final long RECORDED = 1_796_476_973_790L;

    @Test
    void aStartTimeAnotherJvmReadsAWholeSecondApartIsTheSameProcess() {
        // Seen on a clean clone: the killed Ebb recorded ...973.790, the next JVM read ...972.790 (btime moved by 1 s).
        assertThat(ChildProcesses.sameStart(RECORDED, RECORDED - 1_000)).isTrue();
        assertThat(ChildProcesses.sameStart(RECORDED, RECORDED + 1_000)).isTrue();
        assertThat(ChildProcesses.sameStart(RECORDED, RECORDED)).isTrue();
    }

    @Test
    void aReusedPidThatStartedTwoSecondsAwayIsSomeoneElses() {
        assertThat(ChildProcesses.sameStart(RECORDED, RECORDED + 2_000)).isFalse();
        assertThat(ChildProcesses.sameStart(RECORDED, RECORDED - 2_000)).isFalse();
    }
}
