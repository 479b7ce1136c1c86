package dev.ebb.replicas;

import dev.ebb.cluster.ClusterChanged;
import dev.ebb.coldstart.WarmChanged;
import dev.ebb.registry.RegistryCredentialsChanged;
import dev.ebb.runtime.RevisionRetried;
import dev.ebb.service.ServiceChanged;
import java.util.Optional;

/**
 * The changes replicas pass on, as the short text of a notification: the sending replica, the kind, the names. Names
 * are DNS labels, so a space separates them. Pure.
 */
final class ChangeMessages {

    private ChangeMessages() {
    }

    /** A message from another replica: who sent it and the change, as this replica publishes it. */
    record Received(String sender, Object change) {
    }

    /** The message for {@code change} from {@code sender}; empty for an event replicas do not pass on. */
    static Optional<String> encode(String sender, Object change) {
        String body = null;
        if (change instanceof ServiceChanged s) {
            body = "service " + s.namespace() + " " + s.name();
        } else if (change instanceof ClusterChanged c) {
            body = "cluster " + c.name();
        } else if (change instanceof WarmChanged w) {
            body = "warm " + w.namespace() + " " + w.service();
        } else if (change instanceof RegistryCredentialsChanged r) {
            body = "registry " + r.namespace();
        } else if (change instanceof RevisionRetried r) {
            body = "retry " + r.cluster() + " " + r.namespace() + " " + r.service() + " " + r.revision();
        }
        return Optional.ofNullable(body).map(b -> sender + " " + b);
    }

    /** The change a message carries; empty for a message this version does not know (a newer replica's). */
    static Optional<Received> decode(String message) {
        String[] words = message.split(" ");
        if (words.length < 3) {
            return Optional.empty();
        }
        Object change = switch (words[1]) {
            case "service" -> words.length == 4 ? new ServiceChanged(words[2], words[3]) : null;
            case "cluster" -> words.length == 3 ? new ClusterChanged(words[2]) : null;
            case "warm" -> words.length == 4 ? new WarmChanged(words[2], words[3]) : null;
            case "registry" -> words.length == 3 ? new RegistryCredentialsChanged(words[2]) : null;
            case "retry" -> words.length == 6 ? new RevisionRetried(words[2], words[3], words[4], words[5]) : null;
            default -> null;
        };
        return Optional.ofNullable(change).map(c -> new Received(words[0], c));
    }
}
