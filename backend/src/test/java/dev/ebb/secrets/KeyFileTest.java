package dev.ebb.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartWritesAKeyOnlyItsOwnerCanReadAndLaterStartsReadItBack() throws Exception {
        Path file = dataDir.resolve("nested").resolve(KeyFile.NAME);

        KeyFile.Loaded first = KeyFile.loadOrCreate(file, new SecureRandom());
        KeyFile.Loaded second = KeyFile.loadOrCreate(file, new SecureRandom());

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.keys()).isEqualTo(first.keys());
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(KeyRing.parse(first.keys(), file.toString()).currentId()).isEqualTo(KeyFile.GENERATED_ID);
        assertThat(first.toString()).doesNotContain(first.keys().substring(KeyFile.GENERATED_ID.length() + 1));
    }
}
