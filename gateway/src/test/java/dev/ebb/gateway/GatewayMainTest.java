package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone gateway's command as an operator runs it, in a JVM of its own: what it says when it cannot start. */
class GatewayMainTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutAControlPlaneItExitsWith2SayingWhatToSet() throws Exception {
        Ran ran = run("--ebb.data-dir=" + dataDir);

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.stderr()).contains("no control plane to take routing from; set EBB_GATEWAY_CONTROL_PLANE_URL");
    }

    @Test
    void aMistypedSettingExitsWith2NamingTheSettingItMeant() throws Exception {
        Ran ran = run("--ebb.gateway.contol-plane-url=http://127.0.0.1:9", "--ebb.data-dir=" + dataDir);

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.stderr()).contains("argument --ebb.gateway.contol-plane-url is no setting of the gateway: "
                + "did you mean ebb.gateway.control-plane-url?");
    }

    @Test
    void aListenerPortTakenByAnotherProcessExitsWith1SayingSoWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Ran ran = run("--ebb.gateway.control-plane-url=http://127.0.0.1:9", "--ebb.gateway.host=127.0.0.1",
                    "--ebb.gateway.port=" + taken.getLocalPort(), "--ebb.gateway.public-port=0", "--ebb.data-dir=" + dataDir);

            assertThat(ran.exitCode()).isEqualTo(1);
            assertThat(ran.stderr()).contains("ebb-gateway: could not start: ", "Address already in use").doesNotContain("\tat ");
        }
    }

    private record Ran(int exitCode, String stderr) {
    }

    private static Ran run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("EBB_") || name.startsWith("LOGGING_"));
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the gateway exits by itself").isTrue();
        return new Ran(process.exitValue(), stderr);
    }
}
