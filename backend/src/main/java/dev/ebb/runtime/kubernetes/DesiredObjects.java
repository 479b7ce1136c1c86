package dev.ebb.runtime.kubernetes;

import dev.ebb.registry.RegistryLogin;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.spec.Names;
import dev.ebb.spec.Template;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Ebb wants a cluster to hold, as pure functions of the stored state: a Deployment per revision, a Service per
 * service (and per tag) that resolves to the cluster's gateway, the namespace, and its image pull Secret. Every name and label is made here.
 */
public final class DesiredObjects {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String EBB = "ebb";
    public static final String SERVICE_LABEL = "ebb.dev/service";
    public static final String REVISION_LABEL = "ebb.dev/revision";
    public static final String SPEC_HASH = "ebb.dev/spec-hash";
    /** The container that runs the template; Knative calls it the same. */
    public static final String CONTAINER = "user-container";
    /** The Secret of type {@code kubernetes.io/dockerconfigjson} in a namespace whose Ebb namespace has registry credentials. */
    public static final String PULL_SECRET = "ebb-registry-credentials";
    /** Where Docker Hub's credentials go in a Docker config: the key every client looks up for its images. */
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    /** Seconds a stopping pod gets beyond its longest request before it is killed. */
    static final int GRACE_BEYOND_TIMEOUT = 10;
    /** How long a revision's pods may take to become ready before its Deployment fails, as Knative's default. */
    public static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(600);

    private static final JsonMapper TREE = JsonMapper.builder().build();

    private DesiredObjects() {
    }

    /** Where the cluster's gateway answers inside the cluster: its Service's name and namespace. */
    public record Gateway(String service, String namespace) {

        /** The gateway's in-cluster DNS name (Kubernetes' own domain, whatever Ebb's internal domain is). */
        String host() {
            return Names.host(service, namespace, "svc.cluster.local");
        }
    }

    /** The namespace of a service, labelled as Ebb's when Ebb creates it. */
    public static V1Namespace namespace(String name) {
        return new V1Namespace().apiVersion("v1").kind("Namespace")
                .metadata(new V1ObjectMeta().name(name).labels(Map.of(MANAGED_BY, EBB)));
    }

    /**
     * The Deployment of one revision with {@code replicas} pods: the template's image, command, env, port and
     * readiness, no sidecar, and the hash of everything but the replica count so drift can be told from scaling.
     */
    public static V1Deployment deployment(RevisionKey key, Template template, int replicas) {
        return deployment(key, template, replicas, PROGRESS_DEADLINE);
    }

    /** The same, failing when no pod became ready within {@code progressDeadline}. */
    public static V1Deployment deployment(RevisionKey key, Template template, int replicas, Duration progressDeadline) {
        return deployment(key, template, replicas, progressDeadline, false);
    }

    /** The same, its pods pulling with the namespace's {@link #PULL_SECRET} when {@code pullSecret}. */
    public static V1Deployment deployment(RevisionKey key, Template template, int replicas, Duration progressDeadline,
            boolean pullSecret) {
        Map<String, String> labels = revisionLabels(key);
        V1Container container = new V1Container().name(CONTAINER).image(template.image())
                .ports(List.of(new V1ContainerPort().name(template.protocol()).containerPort(template.port()).protocol("TCP")))
                .env(env(key, template))
                .readinessProbe(readiness(template));
        if (template.command() != null && !template.command().isEmpty()) {
            container.command(template.command());
        }
        if (template.resources() != null) {
            container.resources(new V1ResourceRequirements().requests(quantities(template.resources().requests()))
                    .limits(quantities(template.resources().limits())));
        }
        if (template.args() != null && !template.args().isEmpty()) {
            container.args(template.args());
        }
        V1PodSpec pod = new V1PodSpec().containers(List.of(container))
                .enableServiceLinks(false)
                // A model server has no business with the Kubernetes API.
                .automountServiceAccountToken(false)
                .terminationGracePeriodSeconds((long) template.timeoutSeconds() + GRACE_BEYOND_TIMEOUT);
        if (pullSecret) {
            pod.imagePullSecrets(List.of(new V1LocalObjectReference().name(PULL_SECRET)));
        }
        // client-java sends an empty overhead object unless told otherwise, which the API server rejects.
        pod.setOverhead(null);
        V1DeploymentSpec spec = new V1DeploymentSpec()
                .selector(new V1LabelSelector().matchLabels(new TreeMap<>(Map.of(SERVICE_LABEL, key.service(), REVISION_LABEL, key.revision()))))
                .progressDeadlineSeconds((int) Math.max(1, progressDeadline.toSeconds()))
                .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels)).spec(pod));
        String hash = hash(JSON.serialize(spec));
        return new V1Deployment().apiVersion("apps/v1").kind("Deployment")
                .metadata(new V1ObjectMeta().name(key.revision()).namespace(key.namespace()).labels(labels)
                        .annotations(Map.of(SPEC_HASH, hash)))
                .spec(spec.replicas(replicas));
    }

    /**
     * The Kubernetes Service named after an Ebb service (or {@code <tag>-<service>} for a tag): an ExternalName that
     * resolves to the gateway, so that {@code http://<name>.<namespace>.svc.cluster.local} reaches the gateway with
     * that Host, and the gateway routes it. Not a selector-less Service with endpoints: those would have to follow every
     * gateway pod, while a DNS alias follows the gateway Service by itself. Nothing here is reachable from outside.
     */
    public static V1Service service(String namespace, String name, String ebbService, Gateway gateway) {
        Map<String, String> labels = new TreeMap<>(Map.of(MANAGED_BY, EBB, SERVICE_LABEL, ebbService));
        return new V1Service().apiVersion("v1").kind("Service")
                .metadata(new V1ObjectMeta().name(name).namespace(namespace).labels(labels))
                .spec(new V1ServiceSpec().type("ExternalName").externalName(gateway.host())
                        .ports(List.of(new V1ServicePort().name("http").port(80).protocol("TCP"))));
    }

    /**
     * The namespace's {@link #PULL_SECRET}: a Docker config with one entry per registry server, from the namespace's
     * registry credentials in name order (the first credential for a server is the one kept: a Docker config holds one
     * per server). Docker Hub's names ({@code docker.io}, {@code index.docker.io}, {@code registry-1.docker.io}) go under
     * the key the kubelet looks up for Docker Hub images.
     */
    public static V1Secret pullSecret(String namespace, List<RegistryLogin> logins) {
        ObjectNode auths = TREE.createObjectNode();
        for (RegistryLogin login : logins) {
            String server = dockerConfigKey(login.server());
            if (auths.has(server)) {
                continue;
            }
            String auth = Base64.getEncoder().encodeToString((login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
            auths.putObject(server).put("username", login.username()).put("password", login.password()).put("auth", auth);
        }
        ObjectNode config = TREE.createObjectNode();
        config.set("auths", auths);
        return new V1Secret().apiVersion("v1").kind("Secret").type("kubernetes.io/dockerconfigjson")
                .metadata(new V1ObjectMeta().name(PULL_SECRET).namespace(namespace).labels(new TreeMap<>(Map.of(MANAGED_BY, EBB))))
                .data(Map.of(".dockerconfigjson", TREE.writeValueAsString(config).getBytes(StandardCharsets.UTF_8)));
    }

    private static String dockerConfigKey(String server) {
        String host = server.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        return switch (host) {
            case "docker.io", "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB_KEY;
            default -> host;
        };
    }

    /** The names of the Kubernetes Services of one Ebb service: its own and one per tag. */
    public static List<String> serviceNames(String service, List<String> tags) {
        List<String> names = new ArrayList<>();
        names.add(service);
        tags.stream().sorted().forEach(tag -> names.add(Names.hostLabel(service, tag)));
        return names;
    }

    static Map<String, String> revisionLabels(RevisionKey key) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(MANAGED_BY, EBB);
        labels.put(SERVICE_LABEL, key.service());
        labels.put(REVISION_LABEL, key.revision());
        return labels;
    }

    private static Map<String, Quantity> quantities(Map<String, String> given) {
        Map<String, Quantity> quantities = new TreeMap<>();
        if (given != null) {
            given.forEach((name, value) -> quantities.put(name, Quantity.fromString(value)));
        }
        return quantities;
    }

    private static List<V1EnvVar> env(RevisionKey key, Template template) {
        Map<String, String> env = new LinkedHashMap<>();
        if (template.env() != null) {
            new TreeMap<>(template.env()).forEach(env::put);
        }
        env.put("PORT", Integer.toString(template.port()));
        env.put("K_SERVICE", key.service());
        env.put("K_REVISION", key.revision());
        env.put("K_CONFIGURATION", key.service());
        List<V1EnvVar> vars = new ArrayList<>();
        env.forEach((name, value) -> vars.add(new V1EnvVar().name(name).value(value)));
        return vars;
    }

    private static V1Probe readiness(Template template) {
        V1Probe probe = new V1Probe().periodSeconds(1).failureThreshold(3).successThreshold(1).timeoutSeconds(1);
        Template.Readiness readiness = template.readiness();
        if (readiness != null && readiness.path() != null) {
            return probe.httpGet(new V1HTTPGetAction().path(readiness.path()).port(new IntOrString(template.port())));
        }
        return probe.tcpSocket(new V1TCPSocketAction().port(new IntOrString(template.port())));
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * The object as the API server receives it in an apply: client-java's models start every list and map empty, and
     * an apply that names a field owns it, so empty ones are left out (1.20 also rejects fields it does not know, such
     * as {@code restartPolicyRules}).
     */
    public static String json(Object object) {
        JsonNode tree = TREE.readTree(JSON.serialize(object));
        prune(tree);
        return TREE.writeValueAsString(tree);
    }

    private static void prune(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> empty = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                prune(field.getValue());
                if (field.getValue().isContainer() && field.getValue().isEmpty()) {
                    empty.add(field.getKey());
                }
            }
            empty.forEach(object::remove);
        } else if (node instanceof ArrayNode array) {
            array.forEach(DesiredObjects::prune);
        }
    }
}
