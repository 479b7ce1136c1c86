package dev.ebb.resilience;

import static org.awaitility.Awaitility.await;

import dev.ebb.support.Processes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's nginx as a reverse proxy on 127.0.0.1, started with the {@code http} block it is given: the baseline that
 * scenario 7 floods in the gateway's place. Two workers, as the gateway has two event loops here; no access log.
 */
final class NginxProxy implements Proxy, AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final int port;

    private NginxProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts nginx in {@code dir} listening on {@code port} with {@code http}, the body of its http block. */
    static NginxProxy start(Path dir, int port, String http) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        String config = """
                worker_processes 2;
                worker_rlimit_nofile 16384;
                daemon off;
                user root;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 8192; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                %2$s
                }
                """.formatted(dir, http.indent(4));
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(BINARY.toString(), "-c", file.toString(), "-p", dir + "/").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        NginxProxy nginx = new NginxProxy(process, port);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("nginx.out")) + Files.readString(dir.resolve("error.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return nginx;
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long residentKib() throws IOException {
        return summed(Processes::residentKib);
    }

    @Override
    public long cpuNanos() throws IOException {
        return summed(Processes::cpuNanos);
    }

    /** What {@code read} says of the master and of each worker, added up. */
    private long summed(PerProcess read) throws IOException {
        long total = 0;
        for (long pid : Processes.withChildren(process.pid())) {
            total += read.of(pid);
        }
        return total;
    }

    private interface PerProcess {
        long of(long pid) throws IOException;
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
