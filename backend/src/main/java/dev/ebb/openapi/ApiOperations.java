package dev.ebb.openapi;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every operation of the REST API under its stable operationId, with what its handler's signature cannot tell: the
 * status of its success, whether it needs credentials, writes the audit trail (so {@code Ebb-Change-Cause} applies) and
 * answers with an ETag. Keyed by method and path, the contract clients see, not by Java method names.
 * {@code ApiDocumentTest} calls each of them and fails on a handler missing here or an entry without a handler.
 */
final class ApiOperations {

    /** What an operation does beyond its signature. */
    enum Trait {
        /** Needs no credentials. */
        OPEN,
        /** Writes an audit event, which records the {@code Ebb-Change-Cause} header. */
        AUDITED,
        /** Answers with the resource's ETag, for {@code If-Match} on the next change. */
        ETAG,
        /** Authenticated by a registry hook's own secret, not by a token or a session. */
        HOOK_SECRET
    }

    /** One operation: its id, the status of its success and its traits. */
    record Operation(String method, String path, String id, int status, Set<Trait> traits) {

        String key() {
            return key(method, path);
        }

        static String key(String method, String path) {
            return method + " " + path;
        }

        boolean is(Trait trait) {
            return traits.contains(trait);
        }
    }

    private static final String SERVICES = "/api/v1/namespaces/{namespace}/services";
    private static final String SERVICE = SERVICES + "/{name}";
    private static final String REGISTRY_CREDENTIALS = "/api/v1/namespaces/{namespace}/registry-credentials";
    private static final Trait OPEN = Trait.OPEN;
    private static final Trait AUDITED = Trait.AUDITED;
    private static final Trait ETAG = Trait.ETAG;
    private static final String HOOKS = "/api/v1/hooks/registry";

    static final Map<String, Operation> ALL = catalogue(
            op("POST", SERVICES, "createService", 201, AUDITED, ETAG),
            op("GET", SERVICES, "listServices", 200),
            op("GET", SERVICE, "getService", 200, ETAG),
            op("GET", SERVICE + "/knative", "exportKnativeService", 200, ETAG),
            op("PUT", SERVICE, "replaceService", 200, AUDITED, ETAG),
            op("PATCH", SERVICE, "patchService", 200, AUDITED, ETAG),
            op("DELETE", SERVICE, "deleteService", 204, AUDITED),
            op("PUT", SERVICE + "/traffic", "updateTraffic", 200, AUDITED, ETAG),
            op("GET", SERVICE + "/revisions", "listRevisions", 200),
            op("GET", SERVICE + "/revisions/{revision}", "getRevision", 200),
            op("GET", SERVICE + "/revisions/{from}/diff/{to}", "diffRevisions", 200),
            op("GET", SERVICE + "/revisions/{revision}/logs", "getRevisionLogs", 200),
            op("POST", SERVICE + "/revisions/{revision}/stop", "stopRevision", 200, AUDITED),
            op("POST", SERVICE + "/revisions/{revision}/retry", "retryRevision", 200, AUDITED),
            op("GET", SERVICE + "/metrics", "getServiceMetrics", 200),
            op("GET", SERVICE + "/coldstarts", "listColdStarts", 200),
            op("POST", SERVICE + "/warm", "warmRevision", 202, AUDITED),
            op("GET", SERVICE + "/warm", "listWarmRequests", 200),
            op("DELETE", SERVICE + "/warm", "endWarmRequests", 204, AUDITED),
            op("GET", SERVICE + "/rollout", "getRollout", 200),
            op("POST", SERVICE + "/rollout", "actOnRollout", 200, AUDITED),
            op("POST", SERVICE + "/coldstart-probe", "probeColdStarts", 200, AUDITED),
            op("GET", "/api/v1/services", "listServiceSummaries", 200),
            op("GET", "/api/v1/services/changes", "listServiceChanges", 200),
            op("POST", REGISTRY_CREDENTIALS, "createRegistryCredential", 201, AUDITED, ETAG),
            op("GET", REGISTRY_CREDENTIALS, "listRegistryCredentials", 200),
            op("GET", REGISTRY_CREDENTIALS + "/{name}", "getRegistryCredential", 200, ETAG),
            op("PUT", REGISTRY_CREDENTIALS + "/{name}", "replaceRegistryCredential", 200, AUDITED, ETAG),
            op("DELETE", REGISTRY_CREDENTIALS + "/{name}", "deleteRegistryCredential", 204, AUDITED),
            op("POST", HOOKS, "createRegistryHook", 201, AUDITED),
            op("GET", HOOKS, "listRegistryHooks", 200),
            op("DELETE", HOOKS + "/{name}", "deleteRegistryHook", 204, AUDITED),
            op("POST", HOOKS + "/{name}", "deliverRegistryEvents", 200, Trait.HOOK_SECRET),
            op("POST", "/api/v1/clusters", "createCluster", 201, AUDITED, ETAG),
            op("GET", "/api/v1/clusters", "listClusters", 200),
            op("GET", "/api/v1/clusters/{name}", "getCluster", 200, ETAG),
            op("PUT", "/api/v1/clusters/{name}", "replaceCluster", 200, AUDITED, ETAG),
            op("DELETE", "/api/v1/clusters/{name}", "deleteCluster", 204, AUDITED),
            op("GET", "/api/v1/control-plane", "getControlPlane", 200),
            op("POST", "/api/v1/users", "createUser", 201, AUDITED),
            op("GET", "/api/v1/users", "listUsers", 200),
            op("GET", "/api/v1/users/{username}", "getUser", 200),
            op("PATCH", "/api/v1/users/{username}", "updateUser", 200, AUDITED),
            op("DELETE", "/api/v1/users/{username}", "deleteUser", 204, AUDITED),
            op("POST", "/api/v1/tokens", "createToken", 201, AUDITED),
            op("GET", "/api/v1/tokens", "listTokens", 200),
            op("GET", "/api/v1/tokens/{name}", "getToken", 200),
            op("DELETE", "/api/v1/tokens/{name}", "revokeToken", 200, AUDITED),
            op("GET", "/api/v1/session/options", "getSignInOptions", 200, OPEN),
            op("GET", "/api/v1/session", "getSession", 200),
            op("POST", "/api/v1/session", "signIn", 200, OPEN),
            op("DELETE", "/api/v1/session", "signOut", 204, OPEN),
            op("POST", "/api/v1/secrets/rotate", "rotateSecrets", 200, AUDITED),
            op("GET", "/api/v1/audit", "listAuditEvents", 200),
            op("GET", "/api/v1/audit/verify", "verifyAuditChain", 200),
            op("GET", "/api/v1/audit/checkpoints", "listAuditCheckpoints", 200));

    private ApiOperations() {
    }

    static Optional<Operation> find(String method, String path) {
        return Optional.ofNullable(ALL.get(Operation.key(method, path)));
    }

    private static Operation op(String method, String path, String id, int status, Trait... traits) {
        Set<Trait> set = EnumSet.noneOf(Trait.class);
        set.addAll(Arrays.asList(traits));
        return new Operation(method, path, id, status, Set.copyOf(set));
    }

    private static Map<String, Operation> catalogue(Operation... operations) {
        Map<String, Operation> byKey = new LinkedHashMap<>();
        Set<String> ids = new java.util.HashSet<>();
        for (Operation operation : operations) {
            if (byKey.put(operation.key(), operation) != null || !ids.add(operation.id())) {
                throw new IllegalStateException("listed twice: " + operation);
            }
        }
        return Map.copyOf(byKey);
    }
}
