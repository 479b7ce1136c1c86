package dev.ebb.registry;

import dev.ebb.secrets.SecretStatus;
import java.time.Instant;

/**
 * A registry credential as the API shows it: never its password, only that one is stored and with which key.
 *
 * @param plainHttp whether Ebb speaks plain HTTP to the server
 * @param caBundle the PEM CA certificates the server's certificate is checked against, null for the JVM's
 */
public record RegistryCredentialView(String name, String namespace, String server, String username, SecretStatus password,
        boolean plainHttp, String caBundle, Metadata metadata) {

    /** {@code resourceVersion} is the value of the credential's {@code ETag}, to send back in {@code If-Match}. */
    public record Metadata(String resourceVersion, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {
    }
}
