package dev.ebb.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The key list kept in {@code <data dir>/secrets.key} when none is configured: generated on the first
 * start, readable by its owner only, in the same format as {@code EBB_SECRETS_KEYS}.
 */
final class KeyFile {

    static final String NAME = "secrets.key";
    static final String GENERATED_ID = "generated";

    private KeyFile() {
    }

    /** The file's key list, and whether this call created it. */
    record Loaded(String keys, boolean created) {

        @Override
        public String toString() {
            return "Loaded[created=" + created + "]";
        }
    }

    static Loaded loadOrCreate(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                return new Loaded(Files.readString(file, StandardCharsets.UTF_8).trim(), false);
            }
            byte[] key = new byte[KeyRing.KEY_BYTES];
            random.nextBytes(key);
            String entry = KeyRing.newEntry(GENERATED_ID, key);
            Arrays.fill(key, (byte) 0);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                return new Loaded(Files.readString(file, StandardCharsets.UTF_8).trim(), false);
            }
            Files.writeString(file, entry + System.lineSeparator(), StandardCharsets.UTF_8);
            return new Loaded(entry, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the secrets key file " + file
                    + ": make its directory writable, or set EBB_SECRETS_KEYS", e);
        }
    }
}
