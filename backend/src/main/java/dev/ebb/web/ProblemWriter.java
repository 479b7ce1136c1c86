package dev.ebb.web;

import dev.ebb.database.DatabaseOutage;
import dev.ebb.problem.Problem;
import dev.ebb.problem.FieldViolation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes problem responses from places outside the controllers: filters and security entry points. */
@Component
public class ProblemWriter {

    private static final Logger log = LoggerFactory.getLogger(ProblemWriter.class);

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, int status, String slug, String title,
            String detail) throws IOException {
        write(request, response, problem(request, status, slug, title, detail, List.of()));
    }

    public void write(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }

    /** 503 with {@code Retry-After}: the database cannot be reached right now, so nothing was done. */
    public void writeDatabaseUnavailable(HttpServletRequest request, HttpServletResponse response, String instance) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds()));
        write(request, response, new Problem(Problem.type("database-unavailable"), "Service unavailable", 503,
                "Ebb cannot reach its database right now; nothing was changed. Retry in a few seconds", instance, List.of(),
                RequestIdFilter.requestId(request)));
    }

    /**
     * A filter's answer to a failure that met the database: when the database is unreachable, a line in the log saying
     * what could not be done ({@code unavailable}), 503 as every call during an outage gets, and true; false for any
     * other failure, which the filter passes on.
     */
    public boolean writeIfDatabaseOutage(HttpServletRequest request, HttpServletResponse response, RuntimeException failure,
            String unavailable) throws IOException {
        if (!DatabaseOutage.isCause(failure)) {
            return false;
        }
        log.warn("Request {} {} failed: the database is unreachable, so {} ({})", request.getMethod(), request.getRequestURI(),
                unavailable, failure.getMessage());
        writeDatabaseUnavailable(request, response, request.getRequestURI());
        return true;
    }

    public static Problem problem(HttpServletRequest request, int status, String slug, String title, String detail,
            List<FieldViolation> errors) {
        return new Problem(Problem.type(slug), title, status, detail, request.getRequestURI(), errors,
                RequestIdFilter.requestId(request));
    }
}
