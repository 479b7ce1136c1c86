package dev.ebb.openapi;

import dev.ebb.audit.RequestActors;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * Gives each operation its stable id, the status and headers of its success and its credentials from {@link ApiOperations},
 * and derives the rest from what the handler declares: {@code If-Match} (from its header parameter) answers 412, a body
 * 413 and 415, a name in the path 404, and every operation 400 and, unless open, 401 and (unless a registry hook's
 * secret is its credential) 403.
 */
class ApiOperationCustomizer implements OperationCustomizer {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final String MERGE_PATCH = "application/merge-patch+json";

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        String method = httpMethod(handler);
        String path = path(handler);
        ApiOperations.Operation known = ApiOperations.find(method, path).orElse(null);
        if (known == null) {
            // Left as springdoc made it; ApiDocumentTest names what is missing from ApiOperations.
            return operation;
        }
        operation.setOperationId(known.id());
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        ApiResponse success = success(responses, known);
        ApiResponses documented = new ApiResponses();
        documented.addApiResponse(Integer.toString(known.status()), success);
        if (known.is(ApiOperations.Trait.OPEN)) {
            operation.setSecurity(List.of());
        }
        if (known.is(ApiOperations.Trait.HOOK_SECRET)) {
            operation.setSecurity(List.of(new SecurityRequirement().addList(ApiDocumentConfiguration.HOOK_BEARER),
                    new SecurityRequirement().addList(ApiDocumentConfiguration.HOOK_SIGNATURE)));
        }
        boolean ifMatch = describeIfMatch(operation, handler);
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
                && operation.getRequestBody().getContent().containsKey(MERGE_PATCH)) {
            operation.getRequestBody().setDescription("A JSON merge patch (RFC 7386): the fields to change; null removes one");
        }
        if (known.is(ApiOperations.Trait.AUDITED)) {
            operation.addParametersItem(changeCause());
        }
        addProblem(documented, 400, ProblemResponses.BAD_REQUEST);
        if (!known.is(ApiOperations.Trait.OPEN)) {
            addProblem(documented, 401, ProblemResponses.UNAUTHORIZED);
        }
        if (!known.is(ApiOperations.Trait.OPEN) && !known.is(ApiOperations.Trait.HOOK_SECRET)) {
            addProblem(documented, 403, ProblemResponses.FORBIDDEN);
        }
        if (namesAResource(path)) {
            addProblem(documented, 404, ProblemResponses.NOT_FOUND);
        }
        if (ifMatch) {
            addProblem(documented, 412, ProblemResponses.PRECONDITION_FAILED);
        }
        if (takesBody(handler)) {
            addProblem(documented, 413, ProblemResponses.PAYLOAD_TOO_LARGE);
            addProblem(documented, 415, ProblemResponses.UNSUPPORTED_MEDIA_TYPE);
        }
        documented.addApiResponse("default", new ApiResponse().$ref("#/components/responses/" + ProblemResponses.OTHER));
        operation.setResponses(documented);
        return operation;
    }

    /** The response springdoc made from the return type, under the status the handler really answers with. */
    private static ApiResponse success(ApiResponses generated, ApiOperations.Operation known) {
        ApiResponse success = generated.entrySet().stream()
                .filter(e -> e.getKey().startsWith("2"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseGet(ApiResponse::new);
        HttpStatus status = HttpStatus.valueOf(known.status());
        success.setDescription(status.getReasonPhrase());
        if (status == HttpStatus.NO_CONTENT) {
            success.setContent(null);
        } else if (success.getContent() != null && success.getContent().isEmpty()) {
            success.setContent(null);
        }
        if (status == HttpStatus.CREATED) {
            success.addHeaderObject(HttpHeaders.LOCATION, new Header().description("The address of what was created")
                    .schema(new StringSchema()));
        }
        if (known.is(ApiOperations.Trait.ETAG)) {
            success.addHeaderObject(HttpHeaders.ETAG, new Header()
                    .description("The version just read or written, quoted (\"3\"): send it in If-Match with the next change")
                    .schema(new StringSchema()));
        }
        return success;
    }

    /** Describes the If-Match parameter springdoc found on the handler; true when there is one. */
    private static boolean describeIfMatch(Operation operation, HandlerMethod handler) {
        boolean declared = false;
        for (MethodParameter parameter : handler.getMethodParameters()) {
            RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
            if (header != null && HttpHeaders.IF_MATCH.equalsIgnoreCase(header.name().isEmpty() ? header.value() : header.name())) {
                declared = true;
            }
        }
        if (!declared) {
            return false;
        }
        List<Parameter> parameters = operation.getParameters() == null ? new ArrayList<>() : operation.getParameters();
        Parameter ifMatch = parameters.stream()
                .filter(p -> "header".equals(p.getIn()) && HttpHeaders.IF_MATCH.equalsIgnoreCase(p.getName()))
                .findFirst()
                .orElseGet(() -> {
                    Parameter added = new HeaderParameter().name(HttpHeaders.IF_MATCH).required(false).schema(new StringSchema());
                    parameters.add(added);
                    return added;
                });
        ifMatch.setDescription("Only change it if it is still this version: the ETag you read, with its quotes "
                + "(\"3\"), or * for any. A stale one answers 412; one without quotes 400");
        ifMatch.setExample("\"3\"");
        operation.setParameters(parameters);
        return true;
    }

    private static Parameter changeCause() {
        return new HeaderParameter().name(RequestActors.CHANGE_CAUSE_HEADER).required(false)
                .description("Why you make this change; the audit trail (and a new revision) records it, up to 1,024 characters")
                .schema(new StringSchema())
                .example("promote model 1.1");
    }

    private static void addProblem(ApiResponses responses, int status, String name) {
        responses.addApiResponse(Integer.toString(status), new ApiResponse().$ref("#/components/responses/" + name));
    }

    /** A path names a resource that may be missing when it has a variable besides the namespace, which always exists. */
    private static boolean namesAResource(String path) {
        Matcher variables = VARIABLE.matcher(path);
        while (variables.find()) {
            if (!variables.group(1).equals("namespace")) {
                return true;
            }
        }
        return false;
    }

    private static boolean takesBody(HandlerMethod handler) {
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                return true;
            }
        }
        return false;
    }

    static String httpMethod(HandlerMethod handler) {
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
        return mapping == null || mapping.method().length == 0 ? "GET" : mapping.method()[0].name();
    }

    static String path(HandlerMethod handler) {
        RequestMapping type = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequestMapping.class);
        RequestMapping method = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
        return first(type) + first(method);
    }

    private static String first(RequestMapping mapping) {
        return mapping == null || mapping.path().length == 0 ? "" : mapping.path()[0];
    }
}
