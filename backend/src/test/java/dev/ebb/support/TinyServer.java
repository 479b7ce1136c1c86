package dev.ebb.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The smallest revision the runtime tests run: {@code src/test/resources/runtime/TinyServer.java}, compiled once into
 * {@code target/tiny-server} and started as {@code java @<argument file> PORT}. Compiled, not run on the JDK's source
 * launcher: the launcher compiles the source at every start, a second or two of CPU per instance, which a test starting
 * fifteen instances would spend on javac rather than on what it measures.
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

    /**
     * Compiles the source once into {@code target/tiny-server/<digest>}, named after the source and the JDK's feature
     * version, so that every test JVM (forks, and the Ebb a test starts as a child process) names the same program and
     * a template holding it is the same template in each: the local runtime adopts an instance only when its template
     * is unchanged. A JVM that finds the directory uses it; two compiling at once each build a directory of their own
     * and move it into place, and the one that loses uses the winner's.
     */
    private static String compile() {
        try {
            byte[] text = Files.readAllBytes(source());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text);
            String name = HexFormat.of().formatHex(digest, 0, 8) + "-jdk" + Runtime.version().feature();
            Path root = Path.of("target", "tiny-server").toAbsolutePath();
            Path directory = root.resolve(name);
            Path arguments = directory.resolve("tiny-server.args");
            if (!Files.exists(arguments)) {
                Files.createDirectories(root);
                Path building = Files.createTempDirectory(root, name + ".building-");
                compileInto(building.resolve("classes"));
                // Quoted for the launcher's argument-file syntax, where a backslash escapes; it names the final place.
                Files.writeString(building.resolve("tiny-server.args"),
                        "-cp \"" + directory.resolve("classes").toString().replace("\\", "\\\\") + "\" TinyServer\n");
                try {
                    Files.move(building, directory, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileSystemException e) {
                    // Another JVM got there first (rename(2) refuses a directory onto one that is not empty): the same program.
                    deleteTree(building);
                    if (!Files.exists(arguments)) {
                        throw e;
                    }
                }
            }
            return "@" + arguments;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void compileInto(Path classes) throws IOException {
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
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
