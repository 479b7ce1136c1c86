package dev.ebb.image;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of image resolution.
 *
 * @param plainHttp registries (host or host:port, as images name them) spoken to in plain HTTP for every namespace,
 *     such as a microk8s registry at {@code localhost:32000}; every other registry is spoken to in HTTPS unless its
 *     registry credential sets {@code plainHttp}
 * @param timeout how long one request to a registry may take
 * @param skip registries whose images are used as written, never resolved (Knative's default: images that exist only
 *     on the cluster that runs them)
 * @param pollInterval how often the tags that services follow ({@code imagePolicy: follow-tag}) are resolved, for
 *     registries that post no notifications; 0 (the default) polls never
 */
@ConfigurationProperties("ebb.registry")
public record RegistryProperties(
        @DefaultValue List<String> plainHttp,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue({"kind.local", "ko.local", "dev.local"}) List<String> skip,
        @DefaultValue("0s") Duration pollInterval) {

    public RegistryProperties {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ebb.registry.timeout (EBB_REGISTRY_TIMEOUT) must be positive, is " + timeout);
        }
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("ebb.registry.poll-interval (EBB_REGISTRY_POLL_INTERVAL) must be 0 (off) or "
                    + "positive, is " + pollInterval);
        }
    }

    RegistryAccess access() {
        return RegistryAccess.of(plainHttp, timeout, skip);
    }
}
