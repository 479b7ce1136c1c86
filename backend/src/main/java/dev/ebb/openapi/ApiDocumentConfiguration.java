package dev.ebb.openapi;

import dev.ebb.problem.Problem;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document's description, security schemes and shared problem responses, and the customizer that fills in each operation. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentConfiguration {

    static final String BEARER = "bearer";
    static final String SESSION = "session";
    static final String HOOK_BEARER = "hookBearer";
    static final String HOOK_SIGNATURE = "hookSignature";
    static final String ANY_JSON_VALUE = "Any JSON value";

    static {
        // A JsonNode (a merge patch, an audit event's before and after, a diff's values) is any JSON value, and logs are text.
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new Schema<>().description(ANY_JSON_VALUE));
        SpringDocUtils.getConfig().replaceWithSchema(StreamingResponseBody.class, new StringSchema());
    }

    @Bean
    OpenAPI ebbOpenApi(ObjectProvider<BuildProperties> build, Environment environment) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties != null ? properties.getVersion() : "development";
        String sessionCookie = environment.getProperty("server.servlet.session.cookie.name", "JSESSIONID");
        Components components = new Components()
                .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An API token (POST /api/v1/tokens; the first one is EBB_BOOTSTRAP_TOKEN or the "
                                + "generated $EBB_DATA_DIR/admin-token), sent as Authorization: Bearer <token>"))
                .addSecuritySchemes(SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.COOKIE)
                        .name(sessionCookie)
                        .description("The session cookie POST /api/v1/session sets. Changes sent with it must carry the "
                                + "XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header (Swagger UI does this itself)"))
                .addSecuritySchemes(HOOK_BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A registry hook's secret (shown once by POST /api/v1/hooks/registry), sent as "
                                + "Authorization: Bearer <secret>; Docker Distribution sends it from its endpoint's headers"))
                .addSecuritySchemes(HOOK_SIGNATURE, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("X-Ebb-Signature")
                        .description("The HMAC-SHA256 of the body keyed with the registry hook's secret, as sha256=<hex>"));
        ModelConverters.getInstance().readAll(new AnnotatedType(Problem.class)).forEach(components::addSchemas);
        ProblemResponses.ALL.forEach((name, description) -> components.addResponses(name, problem(description)));
        return new OpenAPI()
                .info(new Info().title("Ebb API").version(version).description(DESCRIPTION))
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .addSecurityItem(new SecurityRequirement().addList(SESSION));
    }

    /** Springdoc's model resolver with {@link NestedTypeNames}; springdoc puts model converter beans first. */
    @Bean
    ModelResolver nestedTypeNamesModelResolver(ObjectMapperProvider mappers) {
        return new ModelResolver(mappers.jsonMapper(), new NestedTypeNames());
    }

    /**
     * Springdoc writes {@code "type": "object"} on the schema that stands for a JsonNode; a diff's values and an audit
     * event's before and after are as often strings or numbers, so that schema goes out without a type (any value).
     */
    @Bean
    OpenApiCustomizer anyJsonValueHasNoType() {
        return openApi -> {
            List<Schema<?>> candidates = new ArrayList<>();
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
                    if (schema.getProperties() != null) {
                        for (Object property : schema.getProperties().values()) {
                            candidates.add((Schema<?>) property);
                        }
                    }
                }
            }
            if (openApi.getPaths() != null) {
                openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                    if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                        operation.getRequestBody().getContent().values().forEach(media -> candidates.add(media.getSchema()));
                    }
                }));
            }
            for (Schema<?> schema : candidates) {
                if (schema != null && ANY_JSON_VALUE.equals(schema.getDescription())) {
                    schema.setType(null);
                    schema.setTypes(null);
                }
            }
        };
    }

    @Bean
    ApiOperationCustomizer apiOperationCustomizer() {
        return new ApiOperationCustomizer();
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(Problem.MEDIA_TYPE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + Problem.class.getSimpleName()))));
    }

    private static final String DESCRIPTION = """
            Ebb runs HTTP and gRPC services the way Knative Serving does: immutable revisions, traffic splits, scale to \
            zero. This API manages services, their revisions and traffic, cold starts, clusters, registry credentials \
            and hooks, users, tokens and the audit trail.

            **Credentials.** Send an API token as `Authorization: Bearer <token>`, or the session cookie of a signed-in \
            person (changes then need the `X-XSRF-TOKEN` header). Roles are granted per namespace.

            **Errors** are RFC 9457 `application/problem+json` documents (the `Problem` schema) whose `errors` name each \
            offending field; nothing stored changes when a request is refused.

            **Concurrent changes.** Reads and writes answer an `ETag`; send it back quoted in `If-Match` (`If-Match: "3"`) \
            and a change made in between answers 412 instead of being overwritten.

            **Why.** Changes accept `Ebb-Change-Cause`, which the audit trail and new revisions record.
            """;
}
