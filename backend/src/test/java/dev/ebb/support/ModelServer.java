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
        return template(errorRate, "", "");
    }

    /**
     * The same with more environment ({@code "STARTUP_DELAY_MS": "1500"}) and more template fields
     * ({@code "scale": {"initial": 0}}), each as JSON members, or empty.
     */
    public static String template(String errorRate, String env, String fields) {
        assertThat(JAR).as("built by mvn -pl examples/model-server package").exists();
        return """
                {"command": ["%s"], "args": ["-jar", "%s"], "readiness": {"path": "/healthz"},
                 "env": {"ERROR_RATE": "%s", "LOG_REQUESTS": "false"%s}%s}""".formatted(TinyServer.JAVA, JAR, errorRate,
                env.isEmpty() ? "" : ", " + env, fields.isEmpty() ? "" : ", " + fields);
    }

    /** A service of the model server with {@code rollout}; a change of {@code errorRate}, even "0" to "0.0", makes a new revision. */
    public static String service(String name, String errorRate, String rollout) {
        return "{\"name\": \"" + name + "\", \"template\": " + template(errorRate) + ", \"rollout\": " + rollout + "}";
    }
}
