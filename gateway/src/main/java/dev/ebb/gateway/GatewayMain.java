package dev.ebb.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a process of its own, without the control plane and without a database: it long-polls its
 * routing from {@code EBB_GATEWAY_CONTROL_PLANE_URL} with {@code EBB_GATEWAY_TOKEN}, posts load back, and keeps
 * routing with its last snapshot (kept under {@code EBB_DATA_DIR}) while the control plane is away. Kubernetes
 * probes it on {@code EBB_GATEWAY_HEALTH_PORT} (8086): {@code /livez} and {@code /readyz}. It starts no Spring
 * context (the settings are read by {@link StandaloneSettings}): a process of its own is ready sooner and holds less.
 */
public final class GatewayMain {

    static final int DEFAULT_HEALTH_PORT = 8086;
    private static final Map<String, String> DEFAULTS = Map.of("ebb.gateway.health-port", String.valueOf(DEFAULT_HEALTH_PORT));
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p " + ProcessHandle.current().pid()
            + " --- [%15.15t] %-40.40logger{39} : %m%n";

    private GatewayMain() {
    }

    public static void main(String[] args) {
        StandaloneSettings settings;
        try {
            settings = read(args);
        } catch (StandaloneSettings.Refused e) {
            System.err.println("ebb-gateway: the settings cannot be used:\n" + e.getMessage());
            System.exit(2);
            return;
        }
        logToConsole(settings.logLevels());
        StandaloneGateway gateway;
        try {
            gateway = StandaloneGateway.start(settings);
        } catch (IllegalArgumentException e) {
            System.err.println("ebb-gateway: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            // A listener's port taken, a certificate unreadable: the cause says which, in a sentence, not a stack trace.
            LoggerFactory.getLogger(GatewayMain.class).debug("The gateway could not start", e);
            System.err.println("ebb-gateway: could not start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            System.exit(1);
            return;
        }
        // SIGTERM: drain (readiness 503 for the drain delay), then stop, as Kubernetes' termination expects.
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "ebb-gateway-stop"));
        LoggerFactory.getLogger(GatewayMain.class).info("Gateway started in {} ms (process uptime)",
                System.currentTimeMillis() - ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
                        .orElse(System.currentTimeMillis()));
    }

    /**
     * Starts a standalone gateway in this JVM with {@code args} ({@code --name=value}) over the system properties and
     * the environment, as {@link #main} does, but leaves the JVM's logging as it is (only {@code logging.level.*} is
     * applied) and its stop to the caller. For tests and tools that run a gateway beside other things.
     *
     * @throws IllegalArgumentException when the settings cannot be used, saying why
     */
    public static StandaloneGateway start(String... args) {
        StandaloneSettings settings = read(args);
        applyLevels((LoggerContext) LoggerFactory.getILoggerFactory(), settings.logLevels());
        return StandaloneGateway.start(settings);
    }

    private static StandaloneSettings read(String[] args) {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((key, value) -> properties.put(String.valueOf(key), String.valueOf(value)));
        return StandaloneSettings.read(List.of(args), properties, System.getenv(), DEFAULTS);
    }

    /** One line per event on standard output, INFO and up unless {@code levels} say otherwise, as Spring Boot logs. */
    private static void logToConsole(Map<String, String> levels) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        root.setLevel(Level.INFO);
        applyLevels(context, levels);
    }

    private static void applyLevels(LoggerContext context, Map<String, String> levels) {
        levels.forEach((logger, level) -> context.getLogger("root".equalsIgnoreCase(logger) ? Logger.ROOT_LOGGER_NAME : logger)
                .setLevel(Level.toLevel("FATAL".equals(level) ? "ERROR" : level)));
    }
}
