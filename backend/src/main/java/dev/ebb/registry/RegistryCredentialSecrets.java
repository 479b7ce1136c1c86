package dev.ebb.registry;

import dev.ebb.secrets.SecretHolder;
import dev.ebb.secrets.Sealed;
import java.util.List;

/** The registry credentials' passwords, as rotation sees them. */
class RegistryCredentialSecrets implements SecretHolder {

    private final RegistryCredentialRepository credentials;

    RegistryCredentialSecrets(RegistryCredentialRepository credentials) {
        this.credentials = credentials;
    }

    @Override
    public List<StoredSecret> lockAll() {
        return credentials.lockAll().stream()
                .map(c -> new StoredSecret(c.id(), RegistryCredentials.row(c.namespace(), c.name()), c.password()))
                .toList();
    }

    @Override
    public void replace(StoredSecret secret, Sealed resealed) {
        RegistryCredentialEntity entity = credentials.findById(secret.id()).orElseThrow(() -> new IllegalStateException(
                "registry credential row " + secret.id() + " vanished while locked"));
        entity.seal(resealed);
        credentials.save(entity);
    }
}
