package dev.ebb.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The gateway as a process of its own, without the control plane and without a database: it long-polls its
 * routing from {@code EBB_GATEWAY_CONTROL_PLANE_URL} with {@code EBB_GATEWAY_TOKEN}, posts load back, and keeps
 * routing with its last snapshot (kept under {@code EBB_DATA_DIR}) while the control plane is away.
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) {
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
        application.run(args);
    }
}
