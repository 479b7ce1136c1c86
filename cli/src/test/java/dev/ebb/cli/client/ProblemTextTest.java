package dev.ebb.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.cli.ExitCode;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTextTest {

    @Test
    void aProblemReadsAsSentencesWithOneLinePerField() {
        Problem problem = new Problem(Problem.type("invalid"), "Invalid request", 422, "2 settings are invalid", null,
                List.of(new FieldViolation("template.port", "must be between 1 and 65535, is 99999"),
                        new FieldViolation("traffic", "Traffic targets sum to 90, want 100.")), "abc");

        assertThat(ProblemText.describe("PUT /api/v1/namespaces/ml/services/hello", 422, problem)).isEqualTo("""
                Ebb refused PUT /api/v1/namespaces/ml/services/hello (422 Invalid request): 2 settings are invalid.
                  template.port: must be between 1 and 65535, is 99999.
                  traffic: Traffic targets sum to 90, want 100.
                  (request id abc)""");
    }

    @Test
    void aDetailThatRepeatsAFieldsMessageIsNotSaidTwice() {
        Problem problem = new Problem(Problem.type("unreadable"), "Bad request", 400, "template.comand: unknown field 'comand'", null,
                List.of(new FieldViolation("template.comand", "unknown field 'comand'")), null);

        assertThat(ProblemText.describe("PUT /x", 400, problem))
                .isEqualTo("Ebb refused PUT /x (400 Bad request).\n  template.comand: unknown field 'comand'.");
    }

    @Test
    void anAnswerThatIsNotAProblemShowsItsStatusAndBody() {
        assertThat(ProblemText.describe("GET /x", 502, "<html>Bad gateway</html>")).isEqualTo("Ebb refused GET /x (502): <html>Bad gateway</html>");
    }

    @Test
    void statusesMapToTheDocumentedExitCodes() {
        assertThat(List.of(400, 404, 413, 415, 422)).allSatisfy(status -> assertThat(ExitCode.forStatus(status)).isEqualTo(ExitCode.INVALID));
        assertThat(List.of(401, 403, 409, 412, 429)).allSatisfy(status -> assertThat(ExitCode.forStatus(status)).isEqualTo(ExitCode.REJECTED));
        assertThat(List.of(500, 502, 503)).allSatisfy(status -> assertThat(ExitCode.forStatus(status)).isEqualTo(ExitCode.ERROR));
    }
}
