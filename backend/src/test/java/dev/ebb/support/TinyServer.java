package dev.ebb.support;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The smallest revision the runtime tests run: {@code src/test/resources/runtime/TinyServer.java} on the JDK's source launcher. */
public final class TinyServer {

    /** The java launcher of the running test JVM. */
    public static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private TinyServer() {
    }

    public static Path source() {
        try {
            return Path.of(TinyServer.class.getResource("/runtime/TinyServer.java").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A template (JSON) that runs it on $(PORT) with an HTTP readiness probe and {@code extra} fields added. */
    public static String template(String extra) {
        return """
                {"command": ["%s"], "args": ["%s", "$(PORT)"], "readiness": {"path": "/healthz"}%s}"""
                .formatted(JAVA, source(), extra.isEmpty() ? "" : ", " + extra);
    }
}
