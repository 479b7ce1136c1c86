package dev.ebb.follow;

import dev.ebb.audit.Actor;
import dev.ebb.revision.Trigger;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.TagPush;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls pushes of followed tags out: each service whose latest template follows the pushed tag gets a revision of the
 * new digest, one service per transaction, through {@link ServiceCatalog#rollOutDigest}, which makes nothing for a
 * digest the service runs already or a stale event. Hook deliveries and the poll share it.
 */
public class TagFollower {

    private static final Logger log = LoggerFactory.getLogger(TagFollower.class);

    private final ServiceCatalog catalog;

    TagFollower(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    /** Rolls out the pushes a hook delivered, in the order the registry listed them. */
    HookDelivery deliver(RegistryHooks.Hook hook, List<Push> pushes, Actor actor) {
        List<ServiceCatalog.Following> following = catalog.following();
        List<HookDelivery.Event> events = new ArrayList<>();
        for (Push push : pushes) {
            List<HookDelivery.Rollout> rollouts = new ArrayList<>();
            for (ServiceCatalog.Following service : following) {
                if (!PushMatch.matches(service.image(), push, hook.registry())) {
                    continue;
                }
                String pinned = PushMatch.pinned(service.image(), push);
                TagPush.Decision decision = rollOut(service, pinned, Trigger.push(hook.name(), push.id(), push.at()),
                        actor.because("registry push " + push.id() + " (hook " + hook.name() + "): " + service.image()
                                + " is now " + push.digest()));
                rollouts.add(new HookDelivery.Rollout(service.namespace(), service.name(), wire(decision.outcome()),
                        decision.revision()));
            }
            events.add(new HookDelivery.Event(push.id(), push.display(), rollouts));
        }
        return new HookDelivery(events);
    }

    /** Rolls {@code pinned} out to one service that follows {@code service.image()}. */
    TagPush.Decision rollOut(ServiceCatalog.Following service, String pinned, Trigger trigger, Actor actor) {
        TagPush.Decision decision = catalog.rollOutDigest(service.namespace(), service.name(), service.image(), pinned,
                trigger, actor);
        if (decision.outcome() == TagPush.Outcome.CREATED) {
            log.info("{} of {}/{} runs {}: {}", decision.revision(), service.namespace(), service.name(), pinned,
                    actor.changeCause());
        } else {
            log.debug("{}/{} left as it is ({}): {}", service.namespace(), service.name(), decision.outcome(),
                    actor.changeCause());
        }
        return decision;
    }

    /** An outcome as the API names it: {@code KNOWN_DIGEST} is {@code known-digest}. */
    static String wire(TagPush.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
