package dev.ebb.coldstart;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of cold-start records.
 *
 * @param retention how long cold starts are kept; older ones are purged every {@code purgeInterval}
 * @param purgeInterval how often old cold starts and expired warm requests are deleted
 * @param queueCapacity how many reported cold starts may wait to be stored before new ones are dropped
 */
@ConfigurationProperties("ebb.coldstarts")
public record ColdStartProperties(
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1h") Duration purgeInterval,
        @DefaultValue("10000") int queueCapacity) {
}
