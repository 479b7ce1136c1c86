package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final long MS = 1_000_000L;

    private final Deadlines deadlines = new Deadlines();
    private final List<String> expired = new ArrayList<>();

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
}
