package dev.ebb.service;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Ebb exports, Knative accepts: each export is validated against the openAPIV3Schema of Knative's published Service
 * CRD (test resource {@code knative/service-crd.yaml}, which names its source). A Kubernetes API server validates custom
 * objects with that schema and drops every field the schema does not declare (unless it says to keep unknown fields),
 * so here an undeclared field is an error too: nothing Ebb exports would be lost on the way into Knative.
 *
 * <p>Not the test API server itself: the 1.20 build the tests use crashes on its first custom object (json-iterator on
 * Go 1.19), which would take it away from every other test in the JVM.
 */
class KnativeSchemaTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Schema knativeService;

    private final String ns = Services.freshNamespace();

    @BeforeAll
    static void readKnativesSchema() throws IOException {
        JsonNode crd;
        try (InputStream in = KnativeSchemaTest.class.getResourceAsStream("/knative/service-crd.yaml")) {
            crd = JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        }
        JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
        knativeService = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(pruning(schema));
    }

    @Test
    void everyExportIsValidAgainstKnativesSchemaAndNothingInItWouldBePruned() throws IOException {
        for (String example : List.of("autoscaling", "private", "grpc", "traffic-v1")) {
            assertThat(http().send("POST", path(ns), manifest(example), "application/yaml").status()).as(example).isEqualTo(201);
        }
        assertThat(http().send("PUT", path(ns, "hello"), manifest("traffic-v2"), "application/yaml").status()).isEqualTo(200);
        assertThat(http().post(path(ns), "{\"name\": \"native\", \"visibility\": \"public\", \"labels\": {\"team\": \"ml\"},"
                + " \"template\": {\"image\": \"ghcr.io/acme/model:1\", \"command\": [\"serve\"], \"args\": [\"--fast\"],"
                + " \"env\": {\"B\": \"2\", \"A\": \"1\"}, \"port\": 9000, \"protocol\": \"h2c\", \"readiness\": {\"path\":"
                + " \"/ready\"}, \"timeoutSeconds\": 30, \"concurrency\": {\"limit\": 4, \"target\": 3}, \"scale\": {\"min\": 1,"
                + " \"max\": 3, \"window\": \"30s\", \"metric\": \"rps\"}, \"resources\": {\"requests\": {\"cpu\": \"250m\"},"
                + " \"limits\": {\"nvidia.com/gpu\": \"1\"}}}, \"rollout\": {\"strategy\": \"gradual\", \"duration\": \"5m\"}}")
                .status()).isEqualTo(201);

        for (String name : List.of("autoscale-go", "helloworld-go", "grpc-ping", "hello", "native")) {
            JsonNode exported = http().get(path(ns, name) + "/knative").json();

            assertThat(knativeService.validate(exported)).as(name + ": " + exported).isEmpty();
        }
    }

    @Test
    void theSchemaRefusesWrongTypesAndFieldsKnativeWouldDrop() throws IOException {
        http().send("POST", path(ns), manifest("grpc"), "application/yaml");
        ObjectNode exported = (ObjectNode) http().get(path(ns, "grpc-ping") + "/knative").json();
        ObjectNode spec = (ObjectNode) exported.at("/spec/template/spec");
        spec.put("containerConcurrency", "ten");
        ((ObjectNode) exported.at("/spec/traffic/0")).put("weight", 100);

        List<Error> errors = knativeService.validate(exported);

        assertThat(errors).extracting(e -> e.getInstanceLocation() + " " + e.getMessage()).anySatisfy(m -> assertThat(m).contains("containerConcurrency"))
                .anySatisfy(m -> assertThat(m).contains("weight"));
    }

    /**
     * The schema with {@code additionalProperties: false} wherever Kubernetes would prune: on every object schema that
     * declares properties and does not say {@code x-kubernetes-preserve-unknown-fields: true}.
     */
    private static JsonNode pruning(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            if (object.has("properties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(entry -> pruning(entry.getValue()));
        } else if (schema != null && schema.isArray()) {
            schema.forEach(KnativeSchemaTest::pruning);
        }
        return schema;
    }

    private String manifest(String example) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/knative/" + example + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("NAMESPACE", ns);
        }
    }
}
