package dev.ebb.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The sample model server ({@code examples/model-server}) as a revision's template, with its knobs. */
public final class ModelServer {

    /** Built by {@code mvn -pl examples/model-server package} (the reactor builds it before the backend). */
    public static final Path JAR = Path.of("../examples/model-server/target/model-server.jar").toAbsolutePath().normalize();

    private ModelServer() {
    }

    /** A template (JSON) running the model server whose predicts fail with 500 at {@code errorRate}. */
    public static String template(String errorRate) {
        assertThat(JAR).as("built by mvn -pl examples/model-server package").exists();
        return """
                {"command": ["%s"], "args": ["-jar", "%s"], "readiness": {"path": "/healthz"},
                 "env": {"ERROR_RATE": "%s", "LOG_REQUESTS": "false"}}""".formatted(TinyServer.JAVA, JAR, errorRate);
    }

    /** A service of the model server with {@code rollout}; a change of {@code errorRate}, even "0" to "0.0", makes a new revision. */
    public static String service(String name, String errorRate, String rollout) {
        return "{\"name\": \"" + name + "\", \"template\": " + template(errorRate) + ", \"rollout\": " + rollout + "}";
    }
}
