package dev.ebb.secrets;

import dev.ebb.EbbProperties;
import dev.ebb.audit.AuditLog;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the keys, the encryption and the rotation of secrets at rest. */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecretsConfiguration.class);

    @Bean
    KeyRing secretKeys(SecretsProperties properties, EbbProperties ebb) {
        if (properties.keys() != null && !properties.keys().isBlank()) {
            KeyRing keys = KeyRing.parse(properties.keys(), "EBB_SECRETS_KEYS");
            log.info("Secrets at rest are encrypted with key '{}' from EBB_SECRETS_KEYS ({} key(s) configured)",
                    keys.currentId(), keys.ids().size());
            return keys;
        }
        Path file = ebb.dataDir().resolve(KeyFile.NAME).toAbsolutePath();
        KeyFile.Loaded loaded = KeyFile.loadOrCreate(file, new SecureRandom());
        KeyRing keys = KeyRing.parse(loaded.keys(), file.toString());
        if (loaded.created()) {
            log.info("No EBB_SECRETS_KEYS was set, so a key for secrets at rest was generated and written to {}; "
                    + "back it up with the database, since stored kubeconfigs and registry passwords cannot be read without it", file);
        } else {
            log.info("Secrets at rest are encrypted with key '{}' from {}", keys.currentId(), file);
        }
        return keys;
    }

    @Bean
    SecretBox secretBox(KeyRing keys) {
        return new SecretBox(keys, new SecureRandom());
    }

    @Bean
    SecretRotation secretRotation(SecretBox box, List<SecretHolder> holders, AuditLog audit,
            PlatformTransactionManager transactions, Clock clock) {
        return new SecretRotation(box, holders, audit, new TransactionTemplate(transactions), clock);
    }
}
