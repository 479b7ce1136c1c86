package dev.ebb.web;

import dev.ebb.database.DatabaseOutage;
import dev.ebb.problem.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page: what the servlet container shows for a request that failed outside the controllers (the
 * firewall refusing a path with {@code ..} or an encoded {@code /}, a filter sending an error), as a problem
 * document rather than Spring's own JSON or HTML.
 */
@RestController
class ProblemErrorController implements ErrorController {

    private final ProblemWriter problems;

    ProblemErrorController(ProblemWriter problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri instanceof String path ? path : null;
        response.reset();
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure && DatabaseOutage.isCause(failure)) {
            // A filter met the outage before any controller could (the token's and the session's filters answer it themselves).
            problems.writeDatabaseUnavailable(request, response, instance);
            return;
        }
        int status = code instanceof Integer given && given >= 400 ? given : 500;
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status >= 500
                ? "Ebb failed to handle this request; the log has the details under request id " + RequestIdFilter.requestId(request)
                : "The request was refused before it reached the API: its path or headers are not acceptable";
        problems.write(request, response, new Problem(Problem.type(status >= 500 ? "internal" : slug(status)), title, status,
                detail, instance, List.of(), RequestIdFilter.requestId(request)));
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            default -> "error";
        };
    }
}
