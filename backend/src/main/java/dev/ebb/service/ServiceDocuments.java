package dev.ebb.service;

import dev.ebb.knative.KnativeService;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.spec.RolloutRules;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import dev.ebb.web.Yaml;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the bodies the services endpoints take (Ebb's service document or a Knative Service, as JSON or YAML) and writes
 * a service as a Knative Service. A Knative import's problems name paths of the manifest, and a Knative manifest applied
 * to an existing service keeps what Knative cannot say (the cold-start SLO, the rollout strategy, the image policy and,
 * as for any body, the placement).
 */
class ServiceDocuments {

    private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() { };

    private final JsonMapper json;
    private final TemplateDefaults defaults;

    ServiceDocuments(JsonMapper json, TemplateDefaults defaults) {
        this.json = json;
        this.defaults = defaults;
    }

    /** A body read: the service document, whether it came as a Knative Service, and what the caller should know. */
    record Body(ServiceSpec spec, boolean knative, List<String> warnings) {
    }

    /** A JSON body: a Knative Service when its apiVersion and kind say so, otherwise Ebb's document, read as before. */
    Body fromJson(JsonNode body, String namespace, String name) {
        if (body != null && body.isObject() && KnativeService.API_VERSION.equals(body.path("apiVersion").asString(null))
                && KnativeService.KIND.equals(body.path("kind").asString(null))) {
            return knative(json.convertValue(body, TREE), namespace, name);
        }
        return new Body(body == null || body.isNull() ? null : json.treeToValue(body, ServiceSpec.class), false, List.of());
    }

    /** A YAML body: a Knative Service when it has an apiVersion or a kind (Ebb's document has neither), otherwise Ebb's document. */
    Body fromYaml(String body, String namespace, String name) {
        Object document = Yaml.read(body);
        if (KnativeService.isManifest(document)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> manifest = (Map<String, Object>) document;
            return knative(manifest, namespace, name);
        }
        if (document != null && !(document instanceof Map)) {
            throw InvalidInputException.unreadable("", "the body must be a YAML map describing the service (Ebb's document or a "
                    + "Knative Service)");
        }
        return new Body(document == null ? null : json.treeToValue(json.valueToTree(document), ServiceSpec.class), false,
                List.of());
    }

    private static Body knative(Map<String, Object> manifest, String namespace, String name) {
        KnativeService.Imported imported = KnativeService.read(manifest, namespace, name);
        return new Body(imported.spec(), true, imported.warnings());
    }

    /**
     * The body as it replaces {@code current}: a Knative manifest keeps the settings Knative has no words for (a gradual
     * rollout excepted, which its rollout-duration annotation states or, left out, ends).
     */
    static ServiceSpec keepingEbbOnly(Body body, ServiceView current) {
        ServiceSpec s = body.spec();
        if (!body.knative() || s == null) {
            return s;
        }
        boolean statesRollout = s.annotations() != null && s.annotations().containsKey(RolloutRules.ROLLOUT_DURATION);
        boolean gradual = current.rollout() != null && "gradual".equals(current.rollout().strategy());
        Template t = s.template();
        Template template = t == null || current.template() == null ? t : new Template(t.image(), t.command(), t.args(), t.env(),
                t.port(), t.protocol(), t.readiness(), t.timeoutSeconds(), t.concurrency(), t.scale(), t.annotations(),
                t.resources(), current.template().imagePolicy(), t.revisionName());
        return new ServiceSpec(s.name(), s.namespace(), s.labels(), s.visibility(), s.placement(), current.coldStartSlo(),
                template, s.traffic(), s.annotations(), statesRollout || gradual ? s.rollout() : current.rollout());
    }

    /** Runs a change; for a Knative body, its problems name the manifest's paths rather than the document's. */
    static <T> T applying(Body body, Supplier<T> change) {
        try {
            return change.get();
        } catch (InvalidInputException e) {
            if (!body.knative() || e.status() != 422) {
                throw e;
            }
            throw InvalidInputException.invalid(e.violations().stream().map(KnativeService::inManifest).toList());
        }
    }

    /** A view read back from a snapshot, leniently, since an older version of Ebb may have written it. */
    ServiceView viewOf(JsonNode snapshot) {
        return json.readerFor(ServiceView.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(snapshot);
    }

    /** The service as a Knative Service. */
    KnativeService.Exported export(ServiceView view) {
        ServiceSpec spec = new ServiceSpec(view.name(), view.namespace(), view.labels(), view.visibility(), view.placement(),
                view.coldStartSlo(), view.template(), view.traffic(), view.annotations(), view.rollout());
        return KnativeService.write(spec, defaults);
    }

    /** The header value of a warning (RFC 9111's {@code Warning}, as Kubernetes sends them): {@code 299 - "text"}. */
    static String warningHeader(String text) {
        return "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
