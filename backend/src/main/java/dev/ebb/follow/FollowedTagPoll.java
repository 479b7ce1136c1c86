package dev.ebb.follow;

import dev.ebb.audit.Actor;
import dev.ebb.background.Ticker;
import dev.ebb.image.ImageName;
import dev.ebb.image.RegistryClient;
import dev.ebb.image.ResolutionException;
import dev.ebb.image.TagLookup;
import dev.ebb.leadership.Leadership;
import dev.ebb.revision.Trigger;
import dev.ebb.service.ServiceCatalog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the tags services follow every {@code ebb.registry.poll-interval}, for registries that post no
 * notifications (or whose notifications got lost), and rolls a changed digest out the way a hook's delivery does: a
 * digest a service runs already makes nothing, so the poll and the hooks never make two revisions of one push. Each
 * tag is asked once per round and namespace (the namespace's credentials decide how).
 */
public final class FollowedTagPoll implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FollowedTagPoll.class);
    private static final Actor POLL = new Actor("system:registry-poll", null, null, null, null, null);

    private final ServiceCatalog catalog;
    private final TagFollower follower;
    private final TagLookup lookup;
    private final Ticker ticker;
    private final AtomicLong rounds = new AtomicLong();

    FollowedTagPoll(ServiceCatalog catalog, TagFollower follower, TagLookup lookup, Duration interval, Leadership leadership) {
        this.catalog = catalog;
        this.follower = follower;
        this.lookup = lookup;
        this.ticker = interval.isZero() ? null : new Ticker("ebb-followed-tag-poll", interval, leadership.whileLeading(this::round),
                e -> log.warn("Polling followed tags failed; trying again at the next round", e));
    }

    public void start() {
        if (ticker != null) {
            ticker.start();
        }
    }

    /** Polls now rather than at the next round; nothing when the poll is off. */
    void pollNow() {
        if (ticker != null) {
            ticker.wake();
        }
    }

    /** Rounds completed since start. */
    long rounds() {
        return rounds.get();
    }

    private void round() {
        Map<String, String> digests = new HashMap<>();
        for (ServiceCatalog.Following service : catalog.following()) {
            if (lookup.skips(ImageName.parse(service.image()))) {
                continue;
            }
            String key = service.namespace() + " " + service.image();
            String digest = digests.computeIfAbsent(key, k -> resolve(service));
            if (digest.isEmpty()) {
                continue;
            }
            String pinned = ImageName.parse(service.image()).withDigest(digest);
            follower.rollOut(service, pinned, Trigger.poll(), POLL.because("poll of followed tags: " + service.image()
                    + " is now " + digest));
        }
        rounds.incrementAndGet();
    }

    /** The digest the service's tag names now, or "" when the registry could not say (logged; the next round retries). */
    private String resolve(ServiceCatalog.Following service) {
        try {
            RegistryClient.Resolved resolved = lookup.resolve(service.namespace(), service.image());
            return resolved.digest();
        } catch (ResolutionException e) {
            log.warn("Polling {} for service {}/{} failed: {}", service.image(), service.namespace(), service.name(),
                    e.failure().message(service.namespace(), null));
            return "";
        }
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.close();
        }
    }
}
