package dev.ebb.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The part of a kubelet that serves container logs: {@code GET /containerLogs/{namespace}/{pod}/{container}} over
 * HTTPS with {@code tailLines}, {@code timestamps}, {@code previous} and {@code follow}, which the API server calls
 * for the pod log API (without checking the kubelet's certificate, as no kubelet CA is configured). Lines are stored
 * as a kubelet's runtime stores them, each with the time it was printed.
 */
final class KubeletLogServer implements AutoCloseable {

    /** Finds the file of a pod's current (or previous) run; null when the pod is not on this node. */
    @FunctionalInterface
    interface LogFiles {
        Path find(String namespace, String pod, boolean previous);
    }

    private final HttpsServer server;
    private volatile boolean closed;

    private KubeletLogServer(HttpsServer server) {
        this.server = server;
    }

    static KubeletLogServer start(Path dir, LogFiles files) {
        try {
            Files.createDirectories(dir);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls(dir.resolve("kubelet.p12"))));
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "test-kubelet-logs");
                thread.setDaemon(true);
                return thread;
            }));
            KubeletLogServer logs = new KubeletLogServer(server);
            server.createContext("/containerLogs/", exchange -> logs.serve(exchange, files));
            server.start();
            return logs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Copies a container's output into its log file, each line prefixed with the time it was read. */
    static void record(InputStream output, Path file, String threadName) {
        Thread copier = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                    Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    writer.write(Instant.now() + " " + line + "\n");
                    writer.flush();
                }
            } catch (IOException e) {
                // The process ended and took its output with it.
            }
        }, threadName);
        copier.setDaemon(true);
        copier.start();
    }

    private void serve(HttpExchange exchange, LogFiles files) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (parts.length < 5) {
                send(exchange, 404, "no such container");
                return;
            }
            Path file = files.find(parts[2], parts[3], "true".equals(query.get("previous")));
            if (file == null || !Files.exists(file)) {
                send(exchange, 400, "container \"" + parts[4] + "\" in pod \"" + parts[3] + "\" is waiting to start: "
                        + "ContainerCreating");
                return;
            }
            boolean timestamps = "true".equals(query.get("timestamps"));
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int tail = query.containsKey("tailLines") ? Integer.parseInt(query.get("tailLines")) : lines.size();
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String line : lines.subList(Math.max(0, lines.size() - tail), lines.size())) {
                out.write(shown(line, timestamps));
            }
            out.flush();
            if ("true".equals(query.get("follow"))) {
                follow(file, lines.size(), timestamps, out);
            }
        }
    }

    /** Sends the lines added to {@code file} after the first {@code seen}, as they come, until the reader goes away. */
    private void follow(Path file, int seen, boolean timestamps, OutputStream out) throws IOException {
        int sent = seen;
        while (!closed) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(sent, lines.size()), lines.size())) {
                out.write(shown(line, timestamps));
            }
            sent = Math.max(sent, lines.size());
            out.flush();
            try {
                TimeUnit.MILLISECONDS.sleep(50); // a kubelet is told of new output; this one looks at its file
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static byte[] shown(String stored, boolean timestamps) {
        String line = timestamps ? stored : stored.substring(stored.indexOf(' ') + 1);
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    /** A self-signed certificate for 127.0.0.1, made once with the JDK's keytool. */
    private static SSLContext tls(Path keystore) throws IOException {
        char[] password = "test-kubelet".toCharArray();
        try {
            if (!Files.exists(keystore)) {
                Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "kubelet", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                        "-ext", "SAN=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                        "-storepass", new String(password), "-keypass", new String(password)).redirectErrorStream(true).start();
                String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (keytool.waitFor() != 0) {
                    throw new IOException("keytool failed: " + said);
                }
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the kubelet's certificate", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot make the kubelet's certificate", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
    }
}
