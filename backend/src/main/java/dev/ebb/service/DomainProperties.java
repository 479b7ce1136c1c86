package dev.ebb.service;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The domains service URLs are built from: {@code <name>.<namespace>.<domain>}, and
 * {@code <tag>-<name>.<namespace>.<domain>} for a tagged target.
 *
 * @param internal the cluster-local domain every service is reachable under
 * @param external the domain of services whose visibility is {@code public}
 */
@ConfigurationProperties("ebb.domain")
record DomainProperties(@DefaultValue("svc.cluster.local") String internal, @DefaultValue("ebb.localhost") String external) {
}
