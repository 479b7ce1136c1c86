package dev.ebb.leadership;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How replicas share leadership ({@code ebb.leadership.*}).
 *
 * @param interval how often a follower tries to take the lock and a leader looks that it still holds it
 * @param lease how long a leader that cannot reach the database goes on leading; under the 11 s after which the
 *     database gives up a silent session, so that two replicas never lead at once
 */
@ConfigurationProperties("ebb.leadership")
record LeadershipProperties(Duration interval, Duration lease) {

    LeadershipProperties {
        interval = interval == null ? Duration.ofSeconds(1) : interval;
        lease = lease == null ? Duration.ofSeconds(8) : lease;
        if (interval.isNegative() || interval.isZero() || lease.compareTo(interval) <= 0 || lease.toSeconds() >= 11) {
            throw new IllegalArgumentException("ebb.leadership.lease (" + lease + ") must be longer than ebb.leadership.interval ("
                    + interval + ", more than 0) and shorter than 11 s, the time after which PostgreSQL lets go of a silent "
                    + "leader's lock");
        }
    }
}
