package dev.ebb.registry;

import dev.ebb.secrets.SecretBox;
import dev.ebb.secrets.SecretUnreadableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every namespace's registry credentials, decrypted, for the clusters that pull images with them, and a fingerprint
 * that moves whenever any credential is created, changed or deleted, so that a reconciler polling it decrypts only
 * after a change. Read from the database, so a change made through any control-plane replica is seen.
 */
@Transactional(readOnly = true)
public class PullLogins {

    private static final Logger log = LoggerFactory.getLogger(PullLogins.class);

    private final RegistryCredentialRepository credentials;
    private final SecretBox box;

    PullLogins(RegistryCredentialRepository credentials, SecretBox box) {
        this.credentials = credentials;
        this.box = box;
    }

    /** Each credential's namespace, name and version, in order. */
    public String fingerprint() {
        return all().stream().map(c -> c.namespace() + "/" + c.name() + "@" + c.resourceVersion()).collect(Collectors.joining(","));
    }

    /**
     * The logins of each namespace that has any, in name order. A credential whose password can no longer be decrypted
     * (the encryption key changed) is left out and logged; its API view says how to fix it.
     */
    public Map<String, List<RegistryLogin>> byNamespace() {
        Map<String, List<RegistryLogin>> logins = new LinkedHashMap<>();
        for (RegistryCredentialEntity credential : all()) {
            try {
                logins.computeIfAbsent(credential.namespace(), ns -> new ArrayList<>())
                        .add(RegistryCredentials.login(credential, box));
            } catch (SecretUnreadableException e) {
                log.warn("Registry credential {}/{} cannot be decrypted, so clusters do not pull with it: {}",
                        credential.namespace(), credential.name(), e.getMessage());
            }
        }
        return logins;
    }

    private List<RegistryCredentialEntity> all() {
        return credentials.findAll(Sort.by("namespace", "name"));
    }
}
