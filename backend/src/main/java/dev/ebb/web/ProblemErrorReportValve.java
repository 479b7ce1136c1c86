package dev.ebb.web;

import dev.ebb.problem.Problem;
import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report for requests it refuses itself (a malformed or too long request, a path it will not
 * map), written as a problem document instead of Tomcat's HTML page. Tomcat creates it by class name, so it
 * depends on nothing of Spring's.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String title = switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 413 -> "Content too large";
            case 431 -> "Request header fields too large";
            default -> status >= 500 ? "Internal error" : "Request refused";
        };
        String detail = status >= 500
                ? "Ebb failed to handle this request"
                : "The request was refused before it reached the API: its request line, path or headers are malformed or too large";
        String json = "{\"type\":\"" + Problem.type(status >= 500 ? "internal" : "bad-request") + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"requestId\":\"" + UUID.randomUUID() + "\"}";
        try {
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, e);
        }
    }
}
