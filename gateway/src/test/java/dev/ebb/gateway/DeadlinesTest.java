package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final long MS = 1_000_000L;

    private final List<String> expired = new ArrayList<>();
    /** How often the owner was told to start ticking. */
    private int ticksStarted;
    private final Deadlines deadlines = new Deadlines(() -> ticksStarted++);

    private Deadlines.Entry request(String name) {
        return new Deadlines.Entry() {
            @Override
            void expired() {
                expired.add(name);
            }
        };
    }

    @Test
    void aRequestExpiresOnceItsTimeoutHasPassedSinceArrival() {
        deadlines.add(request("a"), 1000, 0);

        deadlines.expire(999 * MS);
        assertThat(expired).isEmpty();
        deadlines.expire(1000 * MS);
        deadlines.expire(5000 * MS);
        assertThat(expired).containsExactly("a");
    }

    @Test
    void aRequestThatGotItsAnswerNeverExpires() {
        Deadlines.Entry answered = request("answered");
        deadlines.add(answered, 1000, 0);
        deadlines.add(request("waiting"), 1000, 10 * MS);
        deadlines.remove(answered);
        deadlines.remove(answered);

        deadlines.expire(2000 * MS);
        assertThat(expired).containsExactly("waiting");
    }

    @Test
    void revisionsWithDifferentTimeoutsExpireEachOnTime() {
        deadlines.add(request("long"), 5000, 0);
        deadlines.add(request("short"), 1000, 100 * MS);
        deadlines.add(request("short-later"), 1000, 200 * MS);

        deadlines.expire(1150 * MS);
        assertThat(expired).containsExactly("short");
        deadlines.expire(1300 * MS);
        assertThat(expired).containsExactly("short", "short-later");
        deadlines.expire(5000 * MS);
        assertThat(expired).containsExactly("short", "short-later", "long");
    }

    @Test
    void anEntryInTheMiddleCanLeaveWithoutDisturbingTheOthers() {
        Deadlines.Entry middle = request("middle");
        deadlines.add(request("first"), 1000, 0);
        deadlines.add(middle, 1000, MS);
        deadlines.add(request("last"), 1000, 2 * MS);
        deadlines.remove(middle);

        deadlines.expire(3000 * MS);
        assertThat(expired).containsExactly("first", "last");
    }

    @Test
    void theOwnerTicksOnlyWhileSomethingWaits() {
        assertThat(deadlines.isEmpty()).isTrue();
        Deadlines.Entry answered = request("answered");
        deadlines.add(answered, 1000, 0);
        deadlines.add(request("slow"), 1000, MS);
        assertThat(ticksStarted).as("told once, when the first one started waiting").isEqualTo(1);

        deadlines.remove(answered);
        deadlines.expire(500 * MS);
        assertThat(deadlines.isEmpty()).as("the slow one still waits").isFalse();
        deadlines.expire(1001 * MS);
        assertThat(expired).containsExactly("slow");
        assertThat(deadlines.isEmpty()).as("nothing waits: the owner may stop ticking").isTrue();

        deadlines.add(request("next"), 1000, 2000 * MS);
        assertThat(ticksStarted).as("told again once the next one waits").isEqualTo(2);
        assertThat(deadlines.isEmpty()).isFalse();
    }

    @Test
    void anEntryAddedAgainCountsOnce() {
        Deadlines.Entry retried = request("retried");
        deadlines.add(retried, 1000, 0);
        deadlines.add(retried, 1000, 10 * MS);
        deadlines.remove(retried);

        assertThat(deadlines.isEmpty()).isTrue();
    }
}
