package dev.ebb.security;

import dev.ebb.access.Caller;
import dev.ebb.access.Grant;
import dev.ebb.access.Permission;
import java.util.Locale;
import java.util.Set;

/**
 * Which caller may call which part of the HTTP API, decided from the method and the path's shape alone. Every
 * denial says what was missing. Kept apart from Spring so the whole matrix can be read, and tested, in one place.
 */
final class AccessPolicy {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    /** Allowed, or denied with a sentence for the caller. */
    record Decision(boolean allowed, String reason) {
        static final Decision ALLOW = new Decision(true, null);

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    private AccessPolicy() {
    }

    /** {@code /api/v1/namespaces/{namespace}/{resource}/...}: viewers read, deployers change, admins manage credentials. */
    static Decision namespaced(Caller caller, String method, String namespace, String resource) {
        if (caller.gateway()) {
            return gatewayOutside();
        }
        if (!caller.belongsTo(namespace)) {
            return Decision.deny("You have no role in namespace '" + namespace + "'; an admin can grant you one");
        }
        String verb = method.toUpperCase(Locale.ROOT);
        if (SAFE.contains(verb)) {
            return Decision.ALLOW;
        }
        Permission needed = "registry-credentials".equals(resource) ? Permission.ADMINISTER : Permission.DEPLOY;
        if (caller.may(needed, namespace)) {
            return Decision.ALLOW;
        }
        return Decision.deny(verb + " on " + resource + " in namespace '" + namespace + "' needs the role "
                + needed.least().wireName() + " there; you are " + roleIn(caller, namespace));
    }

    /**
     * Services across namespaces: every caller with a role somewhere, who then sees the namespaces it reads. Asking
     * for one namespace by name needs a role there, so that a typo is told apart from an empty namespace.
     */
    static Decision serviceOverview(Caller caller, String namespaceFilter) {
        if (caller.gateway()) {
            return gatewayOutside();
        }
        if (namespaceFilter != null) {
            return caller.belongsTo(namespaceFilter) ? Decision.ALLOW
                    : Decision.deny("You have no role in namespace '" + namespaceFilter + "'; leave out ?namespace= to list "
                            + "the namespaces you read, or ask an admin for a role there");
        }
        return caller.mayEverywhere(Permission.READ) || !caller.namespacesWhere(Permission.READ).isEmpty() ? Decision.ALLOW
                : Decision.deny("You have no role in any namespace; an admin can grant you one");
    }

    /** The audit trail: of one namespace for its viewers, of everything for viewers of every namespace. */
    static Decision audit(Caller caller, String namespaceFilter) {
        if (caller.gateway()) {
            return gatewayOutside();
        }
        if (caller.mayEverywhere(Permission.READ)) {
            return Decision.ALLOW;
        }
        if (namespaceFilter != null && caller.may(Permission.READ, namespaceFilter)) {
            return Decision.ALLOW;
        }
        return Decision.deny(namespaceFilter == null
                ? "Reading the whole audit trail needs a role in every namespace ('*'); add ?namespace=<yours> to read one"
                : "You have no role in namespace '" + namespaceFilter + "'");
    }

    /** Which replica leads and what it feeds: about every namespace's services, so a view of every namespace. */
    static Decision controlPlane(Caller caller) {
        if (caller.gateway()) {
            return gatewayOutside();
        }
        return caller.mayEverywhere(Permission.READ) ? Decision.ALLOW
                : Decision.deny("The control plane's state needs a role in every namespace ('*'), such as viewer");
    }

    /** The chain verification walks every event, so it needs a view of every namespace. */
    static Decision auditVerification(Caller caller) {
        if (caller.gateway()) {
            return gatewayOutside();
        }
        return caller.mayEverywhere(Permission.READ) ? Decision.ALLOW
                : Decision.deny("Verifying the audit trail needs a role in every namespace ('*'), such as viewer");
    }

    /** Users, tokens, clusters and the encryption keys: admins of every namespace. */
    static Decision administration(Caller caller) {
        if (caller.gateway()) {
            return gatewayOutside();
        }
        return caller.mayEverywhere(Permission.ADMINISTER) ? Decision.ALLOW
                : Decision.deny("This needs the role admin in every namespace ('*')");
    }

    /** The routing snapshot: gateways, and admins of every namespace who want to see what gateways see. */
    static Decision routingFeed(Caller caller) {
        return caller.gateway() || caller.mayEverywhere(Permission.ADMINISTER) ? Decision.ALLOW
                : Decision.deny("The routing feed is for gateways (a token of kind 'gateway') and admins of every namespace");
    }

    /** Load, demand and cold-start reports: only gateways, whose reports drive the autoscaler. */
    static Decision gatewayReports(Caller caller) {
        return caller.gateway() ? Decision.ALLOW
                : Decision.deny("Only gateways report load; create a token of kind 'gateway' for a gateway");
    }

    /** The Prometheus scrape covers every namespace. */
    static Decision metrics(Caller caller) {
        return !caller.gateway() && caller.mayEverywhere(Permission.READ) ? Decision.ALLOW
                : Decision.deny("Metrics cover every namespace: the token needs a role in '*', such as viewer");
    }

    private static Decision gatewayOutside() {
        return Decision.deny("A gateway token may only fetch routing and report load");
    }

    private static String roleIn(Caller caller, String namespace) {
        String best = "without a role there";
        for (Grant grant : caller.grants()) {
            if (grant.covers(namespace)) {
                best = grant.role().wireName() + (grant.everywhere() ? " (in '*')" : "");
                if (!grant.everywhere()) {
                    return best;
                }
            }
        }
        return best;
    }
}
