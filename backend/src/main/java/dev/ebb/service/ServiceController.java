package dev.ebb.service;

import dev.ebb.audit.RequestActors;
import dev.ebb.knative.KnativeService;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.revision.RevisionDiffView;
import dev.ebb.revision.RevisionView;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.web.ListPage;
import dev.ebb.web.Preconditions;
import dev.ebb.web.Rfc3339;
import dev.ebb.web.Yaml;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The REST API of services, their traffic and their revisions. */
@RestController
@RequestMapping("/api/v1/namespaces/{namespace}/services")
class ServiceController {

    private static final String WARNING = "Warning";
    /** The JSON and YAML handlers of one operation are one operation in the API document: each describes all of its body. */
    private static final String DOCUMENT_BODY = "Ebb's service document, or a Knative serving.knative.dev/v1 Service (a JSON "
            + "body whose apiVersion and kind say so; a YAML body with an apiVersion or a kind). An import without the label "
            + "networking.knative.dev/visibility: cluster-local stays cluster-local and says so in a Warning header and in "
            + "the answer's warnings";
    private static final String YAML_BODY = "YAML 1.2 (UTF-8): Ebb's service document or a Knative Service; duplicate keys, "
            + "anchors, aliases and tags are refused";
    private static final String KNATIVE_JSON = "The service as a Knative serving.knative.dev/v1 Service; Warning headers name "
            + "what Knative has no equivalent for";
    private static final String KNATIVE_YAML = KNATIVE_JSON + ", in YAML";
    private static final List<MediaType> YAML_TYPES = List.of(MediaType.parseMediaType(Yaml.MEDIA_TYPE),
            MediaType.parseMediaType(Yaml.MEDIA_TYPE_X));

    private final ServiceCatalog catalog;
    private final ServiceDocuments documents;
    private final Clock clock;

    ServiceController(ServiceCatalog catalog, ServiceDocuments documents, Clock clock) {
        this.clock = clock;
        this.documents = documents;
        this.catalog = catalog;
    }

    @PostMapping
    ResponseEntity<ServiceView> create(@PathVariable String namespace,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = DOCUMENT_BODY, required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServiceSpec.class)),
                    @Content(mediaType = Yaml.MEDIA_TYPE, schema = @Schema(type = "string", description = YAML_BODY)),
                    @Content(mediaType = Yaml.MEDIA_TYPE_X, schema = @Schema(type = "string", description = YAML_BODY))})
            @RequestBody JsonNode body, HttpServletRequest request) {
        return created(namespace, documents.fromJson(body, namespace, null), request);
    }

    /** The same from YAML: Ebb's document or a Knative Service. */
    @PostMapping(consumes = {Yaml.MEDIA_TYPE, Yaml.MEDIA_TYPE_X})
    ResponseEntity<ServiceView> createFromYaml(@PathVariable String namespace,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = DOCUMENT_BODY, required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServiceSpec.class)),
                    @Content(mediaType = Yaml.MEDIA_TYPE, schema = @Schema(type = "string", description = YAML_BODY)),
                    @Content(mediaType = Yaml.MEDIA_TYPE_X, schema = @Schema(type = "string", description = YAML_BODY))})
            @RequestBody byte[] body, HttpServletRequest request) {
        return created(namespace, documents.fromYaml(utf8(body), namespace, null), request);
    }

    private ResponseEntity<ServiceView> created(String namespace, ServiceDocuments.Body body, HttpServletRequest request) {
        ServiceCatalog.Stored stored = ServiceDocuments.applying(body, () -> catalog.create(namespace, body.spec(),
                RequestActors.of(request)));
        return warned(ResponseEntity.created(URI.create("/api/v1/namespaces/" + namespace + "/services/" + stored.view().name()))
                .eTag(Preconditions.etag(stored.resourceVersion())), body.warnings())
                .body(stored.view().withWarnings(body.warnings()));
    }

    @GetMapping
    ListPage<ServiceView> list(@PathVariable String namespace, @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        return catalog.list(namespace, continueToken, limit);
    }

    /**
     * The service now, or with {@code at} (RFC 3339) as it was stored at that instant; with {@code Accept: application/yaml},
     * as a Knative Service in YAML.
     */
    @ApiResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServiceView.class)),
            @Content(mediaType = Yaml.MEDIA_TYPE, schema = @Schema(type = "string", description = KNATIVE_YAML)),
            @Content(mediaType = Yaml.MEDIA_TYPE_X, schema = @Schema(type = "string", description = KNATIVE_YAML))})
    @GetMapping(path = "/{name}", produces = {MediaType.APPLICATION_JSON_VALUE, Yaml.MEDIA_TYPE, Yaml.MEDIA_TYPE_X})
    ResponseEntity<?> get(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(required = false) String at, @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        if (at != null) {
            Instant instant = Rfc3339.parse("at", at);
            Instant now = clock.instant();
            if (instant.isAfter(now)) {
                throw InvalidInputException.unreadable("at", "'" + at + "' is in the future (it is " + now + " here); ask for an "
                        + "instant up to now, or leave 'at' out for the service as it is now");
            }
            JsonNode then = catalog.getAt(namespace, name, instant);
            if (wantsYaml(accept)) {
                return knative(ResponseEntity.ok(), documents.export(documents.viewOf(then)), true);
            }
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(then);
        }
        ServiceCatalog.Stored stored = catalog.get(namespace, name);
        if (wantsYaml(accept)) {
            return knative(ResponseEntity.ok().eTag(Preconditions.etag(stored.resourceVersion())),
                    documents.export(stored.view()), true);
        }
        return ResponseEntity.ok().eTag(Preconditions.etag(stored.resourceVersion())).contentType(MediaType.APPLICATION_JSON)
                .body(stored.view());
    }

    /** The service as a Knative Service: JSON, or YAML with {@code Accept: application/yaml}. */
    @ApiResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object", description = KNATIVE_JSON)),
            @Content(mediaType = Yaml.MEDIA_TYPE, schema = @Schema(type = "string", description = KNATIVE_YAML)),
            @Content(mediaType = Yaml.MEDIA_TYPE_X, schema = @Schema(type = "string", description = KNATIVE_YAML))})
    @GetMapping(path = "/{name}/knative", produces = {MediaType.APPLICATION_JSON_VALUE, Yaml.MEDIA_TYPE, Yaml.MEDIA_TYPE_X})
    ResponseEntity<?> knative(@PathVariable String namespace, @PathVariable String name,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        ServiceCatalog.Stored stored = catalog.get(namespace, name);
        return knative(ResponseEntity.ok().eTag(Preconditions.etag(stored.resourceVersion())), documents.export(stored.view()),
                wantsYaml(accept));
    }

    @PutMapping("/{name}")
    ResponseEntity<ServiceView> replace(@PathVariable String namespace, @PathVariable String name,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = DOCUMENT_BODY, required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServiceSpec.class)),
                    @Content(mediaType = Yaml.MEDIA_TYPE, schema = @Schema(type = "string", description = YAML_BODY)),
                    @Content(mediaType = Yaml.MEDIA_TYPE_X, schema = @Schema(type = "string", description = YAML_BODY))})
            @RequestBody JsonNode body, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest request) {
        return replaced(namespace, name, documents.fromJson(body, namespace, name), ifMatch, request);
    }

    /** The same from YAML: Ebb's document or a Knative Service. */
    @PutMapping(path = "/{name}", consumes = {Yaml.MEDIA_TYPE, Yaml.MEDIA_TYPE_X})
    ResponseEntity<ServiceView> replaceFromYaml(@PathVariable String namespace, @PathVariable String name,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = DOCUMENT_BODY, required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServiceSpec.class)),
                    @Content(mediaType = Yaml.MEDIA_TYPE, schema = @Schema(type = "string", description = YAML_BODY)),
                    @Content(mediaType = Yaml.MEDIA_TYPE_X, schema = @Schema(type = "string", description = YAML_BODY))})
            @RequestBody byte[] body, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest request) {
        return replaced(namespace, name, documents.fromYaml(utf8(body), namespace, name), ifMatch, request);
    }

    private ResponseEntity<ServiceView> replaced(String namespace, String name, ServiceDocuments.Body body, String ifMatch,
            HttpServletRequest request) {
        ServiceSpec spec = body.knative() ? ServiceDocuments.keepingEbbOnly(body, catalog.get(namespace, name).view()) : body.spec();
        ServiceCatalog.Stored stored = ServiceDocuments.applying(body, () -> catalog.replace(namespace, name, spec, ifMatch,
                RequestActors.of(request)));
        return warned(ResponseEntity.ok().eTag(Preconditions.etag(stored.resourceVersion())), body.warnings())
                .body(stored.view().withWarnings(body.warnings()));
    }

    @PatchMapping(path = "/{name}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<ServiceView> patch(@PathVariable String namespace, @PathVariable String name,
            @RequestBody JsonNode patch, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest request) {
        return withEtag(catalog.patch(namespace, name, patch, ifMatch, RequestActors.of(request)));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String namespace, @PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest request) {
        catalog.delete(namespace, name, ifMatch, RequestActors.of(request));
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{name}/traffic")
    ResponseEntity<ServiceView> traffic(@PathVariable String namespace, @PathVariable String name,
            @RequestBody TrafficUpdate update, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest request) {
        return withEtag(catalog.updateTraffic(namespace, name, update, ifMatch, RequestActors.of(request)));
    }

    @GetMapping("/{name}/revisions")
    ListPage<RevisionView> revisions(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        return catalog.revisions(namespace, name, continueToken, limit);
    }

    @GetMapping("/{name}/revisions/{revision}")
    RevisionView revision(@PathVariable String namespace, @PathVariable String name, @PathVariable String revision) {
        return catalog.revision(namespace, name, revision);
    }

    @GetMapping("/{name}/revisions/{from}/diff/{to}")
    RevisionDiffView diff(@PathVariable String namespace, @PathVariable String name, @PathVariable String from,
            @PathVariable String to) {
        return catalog.diff(namespace, name, from, to);
    }

    private static ResponseEntity<?> knative(ResponseEntity.BodyBuilder response, KnativeService.Exported exported, boolean yaml) {
        ResponseEntity.BodyBuilder warned = warned(response, exported.warnings());
        if (yaml) {
            return warned.contentType(MediaType.parseMediaType(Yaml.MEDIA_TYPE))
                    .body(Yaml.write(exported.manifest()).getBytes(StandardCharsets.UTF_8));
        }
        return warned.contentType(MediaType.APPLICATION_JSON).body(exported.manifest());
    }

    private static ResponseEntity.BodyBuilder warned(ResponseEntity.BodyBuilder response, List<String> warnings) {
        warnings.forEach(warning -> response.header(WARNING, ServiceDocuments.warningHeader(warning)));
        return response;
    }

    /** Whether the most wanted type of {@code Accept} that Ebb can answer with is YAML rather than JSON. */
    static boolean wantsYaml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> wanted = new ArrayList<>(MediaType.parseMediaTypes(accept));
        MimeTypeUtils.sortBySpecificity(wanted);
        wanted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : wanted) {
            if (YAML_TYPES.stream().anyMatch(type::equalsTypeAndSubtype)) {
                return true;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return false;
            }
        }
        return false;
    }

    /** A YAML body as the text it is: UTF-8, which YAML 1.2 requires of JSON-compatible streams; anything else is refused. */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw InvalidInputException.unreadable("", "a YAML body must be UTF-8");
        }
    }

    private static ResponseEntity<ServiceView> withEtag(ServiceCatalog.Stored stored) {
        return ResponseEntity.ok().eTag(Preconditions.etag(stored.resourceVersion())).body(stored.view());
    }
}
