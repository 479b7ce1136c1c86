package dev.ebb.web;

import dev.ebb.database.DatabaseOutage;
import dev.ebb.problem.Problem;
import dev.ebb.problem.EbbException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.PayloadTooLargeException;
import dev.ebb.problem.TooManyRequestsException;
import dev.ebb.spec.NearestName;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Turns every failure of an API call into an RFC 9457 problem that says what was wrong and how to fix it. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("Unrecognized token '[^']*'");
    /** A parameter name Tomcat quotes, when it is a plain one: the name itself may be what failed to decode. */
    private static final Pattern PARAMETER_NAME = Pattern.compile("Parameter \\[([A-Za-z][A-Za-z0-9_.-]{0,63})\\]");

    @ExceptionHandler(EbbException.class)
    ResponseEntity<Problem> ebb(EbbException e, HttpServletRequest request) {
        ResponseEntity<Problem> response = respond(request, e.status(), e.type(), e.title(), e.getMessage(), e.violations());
        if (e instanceof TooManyRequestsException wait) {
            return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.retryAfter().toSeconds())))
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        PayloadTooLargeException tooLarge = causeOfType(e, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return ebb(tooLarge, request);
        }
        JacksonException jackson = causeOfType(e, JacksonException.class);
        if (jackson != null) {
            return json(jackson, request);
        }
        String detail = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
                ? "The request needs a JSON body" : "The request body could not be read as JSON";
        return badRequest(request, new FieldViolation("", detail));
    }

    @ExceptionHandler(JacksonException.class)
    ResponseEntity<Problem> json(JacksonException e, HttpServletRequest request) {
        PayloadTooLargeException tooLarge = causeOfType(e, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return ebb(tooLarge, request);
        }
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            Set<String> known = new TreeSet<>();
            unknown.getKnownPropertyIds().forEach(id -> known.add(id.toString()));
            String hint = NearestName.among(unknown.getPropertyName(), known)
                    .map(s -> "did you mean '" + s + "'?")
                    .orElse("known fields here: " + String.join(", ", known));
            return badRequest(request, new FieldViolation(field, "unknown field '" + unknown.getPropertyName() + "'; " + hint));
        }
        if (e instanceof InvalidFormatException format) {
            return badRequest(request, new FieldViolation(field, "'" + format.getValue() + "' is not a valid "
                    + describe(format.getTargetType())));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String expected = mismatch.getTargetType() == null ? "a different JSON value" : describe(mismatch.getTargetType());
            return badRequest(request, new FieldViolation(field, "expected " + expected));
        }
        if (e instanceof StreamReadException read) {
            String where = read.getLocation() == null ? ""
                    : " at line " + read.getLocation().getLineNr() + ", column " + read.getLocation().getColumnNr();
            return badRequest(request, new FieldViolation("", "malformed JSON" + where + ": " + withoutTokens(read.getOriginalMessage())));
        }
        return badRequest(request, new FieldViolation(field, e.getOriginalMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Problem> parameterType(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return badRequest(request, new FieldViolation(e.getName(), "'" + e.getValue() + "' is not a valid "
                + describe(e.getRequiredType())));
    }

    /** Tomcat could not decode a query parameter: a percent-encoding that is not UTF-8, such as {@code %ff}. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Problem> undecodableParameter(InvalidParameterException e, HttpServletRequest request) {
        Matcher named = PARAMETER_NAME.matcher(String.valueOf(e.getMessage()));
        String field = named.find() ? named.group(1) : "";
        return badRequest(request, new FieldViolation(field, "a query parameter is not valid percent-encoded UTF-8; "
                + "encode every parameter's name and value as UTF-8"));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Problem> multipart(MultipartException e, HttpServletRequest request) {
        return badRequest(request, new FieldViolation("", "the API takes JSON bodies (Content-Type: application/json), "
                + "not multipart forms"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Problem> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return badRequest(request, new FieldViolation(e.getParameterName(), "query parameter is required"));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Problem> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return badRequest(request, new FieldViolation(e.getHeaderName(), "header is required"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Problem> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(request, 415, "unsupported-media-type", "Unsupported media type",
                "Content-Type " + e.getContentType() + " is not accepted here; send " + e.getSupportedMediaTypes(), List.of());
    }

    /** Problems are JSON whatever the request accepts: RFC 9110 lets an error answer in a type the client did not ask for. */
    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Problem> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(request, 406, "not-acceptable", "Not acceptable", "This answers only with "
                + (e.getSupportedMediaTypes().isEmpty() ? "application/json" : e.getSupportedMediaTypes())
                + "; the request's Accept (" + request.getHeader(HttpHeaders.ACCEPT) + ") admits none of them", List.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Problem> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(request, 405, "method-not-allowed", "Method not allowed",
                e.getMethod() + " is not supported here; allowed: " + e.getSupportedHttpMethods(), List.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Problem> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return respond(request, 404, "not-found", "Not found", "Nothing is served at " + request.getRequestURI(), List.of());
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Problem> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        log.info("Request {} collided with a concurrent change: {}", RequestIdFilter.requestId(request), e.getMostSpecificCause().getMessage());
        return respond(request, 409, "conflict", "Conflict",
                "The change collided with a concurrent one (for example two creates of the same name); read the current state and retry", List.of());
    }

    /** The client went away in the middle of a streamed response (such as followed logs): nobody is left to answer. */
    @ExceptionHandler({AsyncRequestNotUsableException.class, AsyncRequestTimeoutException.class})
    void streamEnded(Exception e, HttpServletRequest request) {
        log.debug("Streamed response to {} ended: {}", request.getRequestURI(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Problem> unexpected(Exception e, HttpServletRequest request) {
        if (DatabaseOutage.isCause(e)) {
            return databaseUnavailable(e, request);
        }
        log.error("Request {} {} failed unexpectedly", request.getMethod(), request.getRequestURI(), e);
        return respond(request, 500, "internal", "Internal error",
                "Ebb failed to handle this request; the log has the details under request id " + RequestIdFilter.requestId(request),
                List.of());
    }

    private static ResponseEntity<Problem> databaseUnavailable(Exception e, HttpServletRequest request) {
        log.warn("Request {} {} failed: the database is unreachable ({})", request.getMethod(), request.getRequestURI(),
                e.getMessage());
        ResponseEntity<Problem> response = respond(request, 503, "database-unavailable", "Service unavailable",
                "Ebb cannot reach its database right now; nothing was changed. Retry in a few seconds", List.of());
        return ResponseEntity.status(503).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds())).body(response.getBody());
    }

    /**
     * Jackson quotes an unrecognized token in full, and an unquoted value is one: a password sent without
     * its quotes would come back in the answer. The position says enough.
     */
    private static String withoutTokens(String message) {
        return message == null ? null : UNRECOGNIZED_TOKEN.matcher(message).replaceAll("Unrecognized token");
    }

    private static ResponseEntity<Problem> badRequest(HttpServletRequest request, FieldViolation violation) {
        String detail = violation.field().isEmpty() ? violation.message() : violation.field() + ": " + violation.message();
        return respond(request, 400, "bad-request", "Bad request", detail, List.of(violation));
    }

    private static ResponseEntity<Problem> respond(HttpServletRequest request, int status, String slug, String title,
            String detail, List<FieldViolation> errors) {
        return ResponseEntity.status(status)
                .header(HttpHeaders.CONTENT_TYPE, MediaType.parseMediaType(Problem.MEDIA_TYPE).toString())
                .body(ProblemWriter.problem(request, status, slug, title, detail, errors));
    }

    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** The JSON path of the value that failed, such as {@code traffic[1].percent}. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (type == String.class) {
            return "string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "JSON array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "JSON object";
        }
        return type.getSimpleName();
    }
}
