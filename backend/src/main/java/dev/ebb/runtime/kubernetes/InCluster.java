package dev.ebb.runtime.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.TokenFileAuthentication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cluster Ebb itself runs in, reached with the pod's service account (token and CA mounted by Kubernetes), a
 * built-in cluster under {@code name} that needs no registration. Off when {@code name} is blank.
 *
 * @param apiServer the API server, {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT} in a pod
 * @param tokenFile the service account token, re-read as Kubernetes rotates it
 * @param caFile the CA that signed the API server's certificate
 */
public record InCluster(String name, String apiServer, String tokenFile, String caFile) {

    public boolean enabled() {
        return name != null && !name.isBlank();
    }

    ApiClient client() throws IOException {
        return new ClientBuilder().setBasePath(apiServer).setAuthentication(new TokenFileAuthentication(tokenFile))
                .setCertificateAuthority(Files.readAllBytes(Path.of(caFile))).build();
    }
}
