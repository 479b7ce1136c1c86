package dev.ebb.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    static String key(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void theFirstKeyEncryptsAndEveryKeyStaysAvailableForDecryption() {
        KeyRing ring = KeyRing.parse(" b:" + key(2) + " , a:" + key(1), "EBB_SECRETS_KEYS");

        assertThat(ring.currentId()).isEqualTo("b");
        assertThat(ring.ids()).containsExactly("b", "a");
        assertThat(ring.key("a")).isPresent();
        assertThat(ring.key("c")).isEmpty();
    }

    @Test
    void aKeyOfTheWrongLengthIsRefusedWithHowToMakeOne() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> KeyRing.parse("a:" + shortKey, "EBB_SECRETS_KEYS"))
                .isInstanceOf(InvalidKeysException.class)
                .hasMessageContaining("Key 'a' in EBB_SECRETS_KEYS is 16 bytes long, but AES-256 needs exactly 32")
                .hasMessageContaining("openssl rand -base64 32")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> KeyRing.parse("a:not*base64*at*all", "EBB_SECRETS_KEYS"))
                .hasMessageContaining("Key 'a' in EBB_SECRETS_KEYS is not valid base64")
                .hasMessageNotContaining("not*base64");
    }

    @Test
    void aKeyIdUsedTwiceIsRefused() {
        assertThatThrownBy(() -> KeyRing.parse("a:" + key(1) + ",a:" + key(2), "EBB_SECRETS_KEYS"))
                .hasMessageContaining("Key id 'a' appears twice in EBB_SECRETS_KEYS");
    }

    @Test
    void aKeyWithoutAnIdIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> KeyRing.parse("a:" + key(1) + "," + key(2), "EBB_SECRETS_KEYS"))
                .hasMessageContaining("EBB_SECRETS_KEYS entry 2 has no key id")
                .hasMessageNotContaining(key(2));
    }

    @Test
    void anEmptyListOrEntryIsRefused() {
        assertThatThrownBy(() -> KeyRing.parse(" ", "EBB_SECRETS_KEYS")).hasMessageContaining("holds no key");
        assertThatThrownBy(() -> KeyRing.parse("a:" + key(1) + ",,b:" + key(2), "EBB_SECRETS_KEYS"))
                .hasMessageContaining("entry 2 is empty");
    }

    @Test
    void printingTheRingShowsIdsOnly() {
        assertThat(KeyRing.parse("a:" + key(1), "x")).hasToString("KeyRing[a]");
    }
}
