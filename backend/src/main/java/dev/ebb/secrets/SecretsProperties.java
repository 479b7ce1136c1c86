package dev.ebb.secrets;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the keys of secrets at rest come from.
 *
 * @param keys {@code <id>:<base64 of 32 bytes>[,...]}: the first encrypts, all decrypt; when empty, the key
 *     file under the data directory is used, and generated on the first start
 */
@ConfigurationProperties("ebb.secrets")
public record SecretsProperties(String keys) {

    /** Names only that keys are set. */
    @Override
    public String toString() {
        return "SecretsProperties[keys=" + (keys == null || keys.isBlank() ? "<none>" : "<set>") + "]";
    }
}
