package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two clusters' gateways in two network namespaces joined by a veth pair, so that the hop from one to the other crosses
 * a real network link that the test can cut: cluster a (10.231.0.1) runs a gRPC service, cluster b (10.231.0.2) routes
 * to it, and the test calls b from the root namespace over a second veth pair (10.232.0.1 to 10.232.0.2). Needs root
 * and {@code ip}; skipped otherwise.
 */
class NetworkNamespaceTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final String NS_A = "ebbA-" + PID;
    private static final String NS_B = "ebbB-" + PID;
    /** Interface names have at most 15 characters. */
    private static final String LINK_A = "ebA" + PID;
    private static final String LINK_B = "ebB" + PID;
    private static final String LINK_ROOT = "ebR" + PID;
    private static final String LINK_CLIENT = "ebC" + PID;
    private static final String ADDRESS_A = "10.231.0.1";
    private static final String ADDRESS_B_FOR_CLIENT = "10.232.0.2";
    private static final int PEER_PORT = 9443;
    private static final String TOKEN = "token-of-a";

    private static final List<Process> processes = new ArrayList<>();
    private static final List<String> outputOfB = new CopyOnWriteArrayList<>();
    private static boolean created;

    @BeforeAll
    static void joinTwoNamespaces() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"));
        Assumptions.assumeTrue(root && ip, "Creating network namespaces needs root and the ip command; not both here, so the cross-cluster hop over a real"
                        + " link is not tested");
        Assumptions.assumeTrue(run("ip", "netns", "add", NS_A) == 0, "ip netns add failed (no CAP_SYS_ADMIN?): not tested");
        created = true;
        ip("netns", "add", NS_B);
        ip("link", "add", LINK_A, "type", "veth", "peer", "name", LINK_B);
        ip("link", "set", LINK_A, "netns", NS_A);
        ip("link", "set", LINK_B, "netns", NS_B);
        ip("-n", NS_A, "addr", "add", ADDRESS_A + "/24", "dev", LINK_A);
        ip("-n", NS_B, "addr", "add", "10.231.0.2/24", "dev", LINK_B);
        ip("link", "add", LINK_ROOT, "type", "veth", "peer", "name", LINK_CLIENT);
        ip("link", "set", LINK_CLIENT, "netns", NS_B);
        ip("addr", "add", "10.232.0.1/24", "dev", LINK_ROOT);
        ip("-n", NS_B, "addr", "add", ADDRESS_B_FOR_CLIENT + "/24", "dev", LINK_CLIENT);
        for (String[] link : new String[][] {{NS_A, LINK_A}, {NS_A, "lo"}, {NS_B, LINK_B}, {NS_B, LINK_CLIENT}, {NS_B, "lo"}}) {
            ip("-n", link[0], "link", "set", link[1], "up");
        }
        ip("link", "set", LINK_ROOT, "up");

        start(NS_A, new CopyOnWriteArrayList<>(), "serve", "a", Integer.toString(PEER_PORT), TOKEN);
        start(NS_B, outputOfB, "forward", "b", "a", ADDRESS_A, Integer.toString(PEER_PORT), TOKEN);
    }

    @AfterAll
    static void removeThem() throws Exception {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (created) {
            run("ip", "netns", "del", NS_A);
            run("ip", "netns", "del", NS_B);
            run("ip", "link", "del", LINK_ROOT);
        }
    }

    @Test
    void aGrpcStreamCrossesTheLinkFailsWith502WhenItIsCutAndRecoversWhenItIsBack() throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(countThroughB())
                .containsExactly("1", "2", "3", "4", "5"));

        ip("-n", NS_A, "link", "set", LINK_A, "down");
        await().atMost(Duration.ofSeconds(60)).until(() -> indexOfFirst("PEER a reachable=false") != Integer.MAX_VALUE);
        String answer = http1ThroughB();
        assertThat(answer).startsWith("HTTP/1.1 502").contains("application/problem+json")
                .contains("runs in cluster a, whose gateway cannot be reached");
        assertThatThrownBy(NetworkNamespaceTest::countThroughB).as("the gRPC call fails too");

        ip("-n", NS_A, "link", "set", LINK_A, "up");
        await().atMost(Duration.ofSeconds(60)).until(() -> outputOfB.lastIndexOf("PEER a reachable=true error=null")
                > indexOfFirst("PEER a reachable=false"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(countThroughB())
                .containsExactly("1", "2", "3", "4", "5"));
    }

    private static int indexOfFirst(String prefix) {
        for (int i = 0; i < outputOfB.size(); i++) {
            if (outputOfB.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static List<String> countThroughB() throws InterruptedException {
        return GrpcEcho.countTo(ADDRESS_B_FOR_CLIENT, ClusterGatewayProcess.PORT, ClusterGatewayProcess.HOST, 5);
    }

    /** A plain HTTP/1.1 request for the service through b; the whole answer. */
    private static String http1ThroughB() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ADDRESS_B_FOR_CLIENT, ClusterGatewayProcess.PORT), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + ClusterGatewayProcess.HOST + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs {@link ClusterGatewayProcess} in {@code namespace} and waits until it listens. */
    private static void start(String namespace, List<String> output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ClusterGatewayProcess.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    System.out.println("[" + namespace + "] " + line);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "output of " + namespace);
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> output.contains("READY") || !process.isAlive());
        assertThat(process.isAlive()).as("the gateway in " + namespace + " started: " + output).isTrue();
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        int exit = run(command.toArray(String[]::new));
        assertThat(exit).as(String.join(" ", command)).isZero();
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        if (process.exitValue() != 0) {
            System.out.println(String.join(" ", command) + ": " + output.strip());
        }
        return process.exitValue();
    }
}
