package dev.ebb.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The smallest revision the runtime tests run: {@code src/test/resources/runtime/TinyServer.java}, compiled once per test
 * JVM and started as {@code java @<argument file> PORT}. Compiled, not run on the JDK's source launcher: the launcher
 * compiles the source at every start, a second or two of CPU per instance, which a test starting fifteen instances
 * would spend on javac rather than on what it measures.
 */
public final class TinyServer {

    /** The java launcher of the running test JVM. */
    public static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private static final class Compiled {
        /** {@code @} and the argument file that holds {@code -cp <classes> TinyServer}. */
        static final String PROGRAM = compile();
    }

    private TinyServer() {
    }

    private static Path source() {
        try {
            return Path.of(TinyServer.class.getResource("/runtime/TinyServer.java").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The java launcher's first argument that runs the compiled server: {@code @} and an argument file naming its class
     * path and main class, so that it stays one argument as the source file's path was; the port follows it.
     */
    public static String program() {
        return Compiled.PROGRAM;
    }

    /** A template (JSON) that runs it on $(PORT) with an HTTP readiness probe and {@code extra} fields added. */
    public static String template(String extra) {
        return """
                {"command": ["%s"], "args": ["%s", "$(PORT)"], "readiness": {"path": "/healthz"}%s}"""
                .formatted(JAVA, program(), extra.isEmpty() ? "" : ", " + extra);
    }

    /** Compiles the source into a directory of this JVM's own under target, so that forks in parallel never share one. */
    private static String compile() {
        try {
            Path directory = Path.of("target", "tiny-server", Long.toString(ProcessHandle.current().pid())).toAbsolutePath();
            Path classes = directory.resolve("classes");
            Files.createDirectories(classes);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                throw new IllegalStateException("the tests run on a JRE without javac; run them on a JDK");
            }
            StringWriter diagnostics = new StringWriter();
            boolean compiled;
            try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
                compiled = javac.getTask(diagnostics, files, null, List.of("-d", classes.toString(), "-Xlint:all", "-Werror"), null,
                        files.getJavaFileObjects(source())).call();
            }
            if (!compiled) {
                throw new IllegalStateException("TinyServer.java did not compile: " + diagnostics);
            }
            Path arguments = directory.resolve("tiny-server.args");
            // Quoted for the launcher's argument-file syntax, where a backslash escapes.
            Files.writeString(arguments, "-cp \"" + classes.toString().replace("\\", "\\\\") + "\" TinyServer\n");
            return "@" + arguments;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
