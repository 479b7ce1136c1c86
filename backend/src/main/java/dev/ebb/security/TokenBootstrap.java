package dev.ebb.security;

import dev.ebb.EbbProperties;
import dev.ebb.identity.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes sure someone can call the API after start-up: {@code EBB_BOOTSTRAP_TOKEN} becomes the token
 * {@code bootstrap}, admin of every namespace; without it, a first start with no usable token generates one and writes it
 * to {@code <data dir>/admin-token} (readable by the owner only), never to the log.
 */
@Component
class TokenBootstrap implements ApplicationRunner {

    static final String BOOTSTRAP = "bootstrap";
    static final String GENERATED = "initial-admin";

    private static final Logger log = LoggerFactory.getLogger(TokenBootstrap.class);

    private final Tokens tokens;
    private final EbbProperties properties;

    TokenBootstrap(Tokens tokens, EbbProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        String bootstrap = properties.bootstrapToken();
        if (bootstrap != null && !bootstrap.isBlank()) {
            tokens.ensureAdmin(BOOTSTRAP, bootstrap.trim());
            log.info("The admin token '{}' accepts the value of EBB_BOOTSTRAP_TOKEN", BOOTSTRAP);
            return;
        }
        if (tokens.anyUsable()) {
            return;
        }
        String value = tokens.newValue();
        Path file = properties.dataDir().resolve("admin-token").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, value + System.lineSeparator());
        tokens.ensureAdmin(GENERATED, value);
        log.info("No API token existed, so an admin token was generated and written to {}; "
                + "use it as 'Authorization: Bearer <token>', or set EBB_BOOTSTRAP_TOKEN to choose your own", file);
    }
}
