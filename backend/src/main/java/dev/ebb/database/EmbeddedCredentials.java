package dev.ebb.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The generated passwords of the embedded PostgreSQL, kept in {@code postgres-credentials} in Ebb's data directory,
 * readable and writable by its owner only: the superuser's, which owns the schema and runs migrations, and the
 * application role's.
 */
record EmbeddedCredentials(Path file, String superuser, String application) {

    static final String FILE = "postgres-credentials";
    static final String SUPERUSER = "postgres";
    static final String APPLICATION_ROLE = "ebb";

    /** The passwords in {@code file}, generated into it (mode 0600) when it does not exist yet. */
    static EmbeddedCredentials readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
            String superuser = properties.getProperty("superuser");
            String application = properties.getProperty("application");
            if (superuser == null || application == null) {
                throw new IllegalStateException(file + " must hold the 'superuser' and 'application' passwords of the "
                        + "embedded PostgreSQL; restore it from a backup of the data directory");
            }
            return new EmbeddedCredentials(file, superuser, application);
        }
        EmbeddedCredentials created = new EmbeddedCredentials(file, generate(), generate());
        Path temp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            out.write("# Passwords of Ebb's embedded PostgreSQL. Back this file up with the data directory.\n");
            out.write("superuser=" + created.superuser() + "\n");
            out.write("application=" + created.application() + "\n");
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        return created;
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "EmbeddedCredentials[" + file + "]";
    }
}
