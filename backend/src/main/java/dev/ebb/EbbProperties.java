package dev.ebb;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by several features.
 *
 * @param dataDir where Ebb keeps local state (the embedded database, the generated admin token)
 * @param bootstrapToken when set, an admin API token with exactly this value exists after start-up
 */
@ConfigurationProperties("ebb")
public record EbbProperties(@DefaultValue(".ebb") Path dataDir, String bootstrapToken) {
}
