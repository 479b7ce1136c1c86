package dev.ebb.gateway;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The gateway as a process of its own, without the control plane and without a database: it long-polls its
 * routing from {@code EBB_GATEWAY_CONTROL_PLANE_URL} with {@code EBB_GATEWAY_TOKEN}, posts load back, and keeps
 * routing with its last snapshot (kept under {@code EBB_DATA_DIR}) while the control plane is away. Kubernetes
 * probes it on {@code EBB_GATEWAY_HEALTH_PORT} (8086): {@code /livez} and {@code /readyz}.
 */
public final class GatewayMain {

    static final int DEFAULT_HEALTH_PORT = 8086;

    private GatewayMain() {
    }

    public static void main(String[] args) {
        application().run(args);
    }

    /** The standalone gateway, not yet run: settings come from the environment, then these defaults. */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(GatewayConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> {
            String url = event.getEnvironment().getProperty("ebb.gateway.control-plane-url", "");
            if (url.isBlank()) {
                System.err.println("ebb-gateway: no control plane to take routing from; set EBB_GATEWAY_CONTROL_PLANE_URL "
                        + "(e.g. http://ebb.ebb-system:8080) and EBB_GATEWAY_TOKEN (a token of kind \"gateway\").");
                System.exit(2);
            }
        });
        application.setDefaultProperties(Map.<String, Object>of("ebb.gateway.health-port", DEFAULT_HEALTH_PORT));
        return application;
    }
}
