package dev.ebb.follow;

import dev.ebb.secrets.SecretHolder;
import dev.ebb.secrets.Sealed;
import java.util.List;

/** The registry hooks' secrets, as rotation sees them. */
class RegistryHookSecrets implements SecretHolder {

    private final RegistryHookRepository hooks;

    RegistryHookSecrets(RegistryHookRepository hooks) {
        this.hooks = hooks;
    }

    @Override
    public List<StoredSecret> lockAll() {
        return hooks.lockAll().stream().map(h -> new StoredSecret(h.id(), RegistryHooks.row(h.name()), h.secret())).toList();
    }

    @Override
    public void replace(StoredSecret secret, Sealed resealed) {
        RegistryHookEntity entity = hooks.findById(secret.id()).orElseThrow(() -> new IllegalStateException(
                "registry hook row " + secret.id() + " vanished while locked"));
        entity.seal(resealed);
        hooks.save(entity);
    }
}
