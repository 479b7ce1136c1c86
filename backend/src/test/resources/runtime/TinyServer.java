import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * The smallest server a revision can run, started by the runtime tests with the JDK's source launcher:
 * answers /healthz, and /env with its environment. The port comes from the first argument or PORT.
 */
public class TinyServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv("PORT"));
        Thread.sleep(Long.parseLong(System.getenv().getOrDefault("STARTUP_DELAY_MS", "0")));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/healthz", exchange -> respond(exchange, "ok"));
        server.createContext("/env", exchange -> {
            StringBuilder text = new StringBuilder();
            new TreeMap<>(System.getenv()).forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
            respond(exchange, text.toString());
        });
        server.createContext("/cwd", exchange -> respond(exchange, System.getProperty("user.dir")));
        server.start();
        System.out.println("tiny server listening on " + port);
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
