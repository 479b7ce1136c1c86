package dev.ebb.gateway;

import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The domains hosts are matched under; the same settings the control plane builds service URLs from.
 *
 * @param internal the cluster-local domain every service is reachable under
 * @param external the domain of services whose visibility is {@code public}
 */
@ConfigurationProperties("ebb.domain")
public record GatewayDomains(@DefaultValue("svc.cluster.local") String internal, @DefaultValue("ebb.localhost") String external) {

    public GatewayDomains {
        internal = internal.toLowerCase(Locale.ROOT);
        external = external.toLowerCase(Locale.ROOT);
    }
}
