import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest server a revision can run, started by the runtime tests (compiled once, see dev.ebb.support.TinyServer):
 * answers /healthz, /env with its environment, /slow?ms=N after N ms, and /max with the most requests it
 * ever had in flight at once, /status?code=N with status N. The port comes from the first argument or PORT.
 */
public class TinyServer {

    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        // Without it the JDK's server sends a kept-alive answer's body only once the client acknowledges its headers,
        // which a client holding its acknowledgement (Linux's delayed ACK) does after 40 ms: every call through the
        // gateway, which keeps its connections, would take 40 ms. Real servers set TCP_NODELAY; so does the sample one.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv("PORT"));
        Thread.sleep(Long.parseLong(System.getenv().getOrDefault("STARTUP_DELAY_MS", "0")));
        // HOST is a pod IP when the test kubelet runs it; the local runtime leaves it to loopback.
        // A backlog as model servers have (uvicorn and gunicorn 2,048, Go's the kernel's 4,096), not the JDK's default of 50:
        // a thousand requests let go at once after a cold start would otherwise overflow it and wait out TCP's 1, 3 and 7 s
        // retransmissions, which measures the backlog and not what the tests look at.
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getenv().getOrDefault("HOST", "127.0.0.1"), port), 1024);
        server.createContext("/healthz", exchange -> respond(exchange, "ok"));
        server.createContext("/env", exchange -> {
            StringBuilder text = new StringBuilder();
            new TreeMap<>(System.getenv()).forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
            respond(exchange, text.toString());
        });
        server.createContext("/cwd", exchange -> respond(exchange, System.getProperty("user.dir")));
        server.createContext("/slow", exchange -> {
            MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
            try {
                String query = exchange.getRequestURI().getQuery();
                Thread.sleep(query != null && query.startsWith("ms=") ? Long.parseLong(query.substring(3)) : 1000);
                // A pod of the test kubelet has no EBB_INSTANCE (the local runtime sets it); its host name names it.
                respond(exchange, System.getenv().getOrDefault("EBB_INSTANCE", System.getenv().getOrDefault("HOSTNAME", "")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                IN_FLIGHT.decrementAndGet();
            }
        });
        server.createContext("/max", exchange -> respond(exchange, Integer.toString(MAX_IN_FLIGHT.get())));
        server.createContext("/status", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            byte[] body = "as asked".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(query != null && query.startsWith("code=") ? Integer.parseInt(query.substring(5)) : 200,
                    body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
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
