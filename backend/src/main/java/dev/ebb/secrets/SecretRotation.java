package dev.ebb.secrets;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-encrypts every stored secret that is not on the current key, in one transaction, so that an
 * operator can then drop the old keys. Values already on the current key are decrypted too: a rotation
 * that succeeds proves that every stored secret is readable with the configured keys.
 */
public class SecretRotation {

    private static final Logger log = LoggerFactory.getLogger(SecretRotation.class);

    private final SecretBox box;
    private final List<SecretHolder> holders;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public SecretRotation(SecretBox box, List<SecretHolder> holders, AuditLog audit, TransactionTemplate transactions,
            Clock clock) {
        this.box = box;
        this.holders = List.copyOf(holders);
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public RotationResult rotate(Actor actor) {
        RotationResult result = transactions.execute(status -> rotateLocked(actor));
        log.info("Secrets rotated to key '{}': re-encrypted {} by key, {} already on it", result.currentKey(),
                result.reencrypted(), result.alreadyCurrent());
        return result;
    }

    private RotationResult rotateLocked(Actor actor) {
        String current = box.currentKeyId();
        Map<String, Integer> before = new TreeMap<>();
        Map<String, Integer> reencrypted = new TreeMap<>();
        int alreadyCurrent = 0;
        for (SecretHolder holder : holders) {
            for (SecretHolder.StoredSecret secret : holder.lockAll()) {
                String keyId = secret.sealed().keyId();
                before.merge(keyId, 1, Integer::sum);
                if (keyId.equals(current)) {
                    box.open(secret.sealed().ciphertext(), secret.row());
                    alreadyCurrent++;
                } else {
                    holder.replace(secret, box.reseal(secret.sealed().ciphertext(), secret.row()));
                    reencrypted.merge(keyId, 1, Integer::sum);
                }
            }
        }
        int total = before.values().stream().mapToInt(Integer::intValue).sum();
        audit.record(clock.instant(), actor, "secrets.rotate", null, null, "secrets", new KeyUsage(before),
                new KeyUsage(total == 0 ? Map.of() : Map.of(current, total)));
        return new RotationResult(current, reencrypted, alreadyCurrent);
    }

    /** How many stored secrets each key encrypts, as the audit trail shows it. */
    public record KeyUsage(Map<String, Integer> valuesByKey) {
    }
}
