package dev.ebb.cli.support;

/** Service documents the tests apply. */
public final class Documents {

    private Documents() {
    }

    public static String modelServerJar() {
        return RunningEbb.moduleDir().resolve("../examples/model-server/target/model-server.jar").normalize().toString();
    }

    /** The sample model server, ready once it answers {@code /healthz}; {@code version} makes each change a revision. */
    public static String modelServerYaml(String name, String version) {
        return modelServerYaml(name, version, "");
    }

    /** The same with more top-level settings, in YAML. */
    public static String modelServerYaml(String name, String version, String more) {
        return """
                name: %s
                template:
                  command: ["java", "-XX:TieredStopAtLevel=1", "-jar", "%s"]
                  env:
                    MODEL_VERSION: "%s"
                  readiness:
                    path: /healthz
                """.formatted(name, modelServerJar(), version) + more;
    }

    /** A service whose revision fails at once: its command is on no PATH. */
    public static String missingCommandJson(String name) {
        return "{\"name\": \"" + name + "\", \"template\": {\"command\": [\"ebb-cli-test-no-such-command\"]}}";
    }
}
