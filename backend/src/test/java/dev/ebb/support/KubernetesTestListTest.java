package dev.ebb.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build runs the test classes that start real Kubernetes API servers in a JVM of their own, after the others (the
 * profile two-test-jvms of backend/pom.xml, which reads them from src/test/kubernetes-tests.txt). A new such class
 * missing from that list would run beside the other test JVM's API servers, where pods were seen not to come up.
 */
class KubernetesTestListTest {

    private static final Path SOURCES = Path.of("src/test/java");
    private static final Path LIST = Path.of("src/test/kubernetes-tests.txt");
    /** The names surefire runs as test classes by default. */
    private static final Pattern TEST_CLASS = Pattern.compile("Test.*\\.java|.*(Test|Tests|TestCase)\\.java");
    /** What a test class that starts an API server says: it uses RealKubernetes, or extends a class that does. */
    private static final Pattern STARTS_AN_API_SERVER = Pattern.compile(
            "RealKubernetes\\.|extends (KubeletTest|TwoClustersScenarios)\\b");

    @Test
    void everyTestClassThatStartsAnApiServerIsListedAndNothingElse() throws IOException {
        List<String> listed = Files.readAllLines(LIST).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.replaceFirst("^\\*\\*/", ""))
                .sorted()
                .toList();
        List<String> starting;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            starting = files.filter(file -> TEST_CLASS.matcher(file.getFileName().toString()).matches())
                    .filter(KubernetesTestListTest::startsAnApiServer)
                    .map(file -> SOURCES.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
        assertThat(listed).as("the classes in " + LIST + " (add a new Kubernetes test class there)").isEqualTo(starting);
    }

    private static boolean startsAnApiServer(Path file) {
        try {
            String source = Files.readString(file);
            return !source.contains("abstract class") && STARTS_AN_API_SERVER.matcher(source).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
