package dev.ebb.secrets;

import static dev.ebb.secrets.KeyRingTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String SECRET = "s3cr3t-token-value";

    private static SecretBox box(String keys) {
        return new SecretBox(KeyRing.parse(keys, "test"), new SecureRandom());
    }

    private static final SecretBox A = box("a:" + key(1));

    @Test
    void aValueRoundTripsAndItsCiphertextNamesItsKey() {
        Sealed sealed = A.seal(SECRET, "cluster/prod");

        assertThat(sealed.keyId()).isEqualTo("a");
        assertThat(new String(sealed.ciphertext(), 2, sealed.ciphertext()[1], StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(A.open(sealed.ciphertext(), "cluster/prod")).isEqualTo(SECRET);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
        assertThat(sealed.toString()).doesNotContain(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyValueGetsAFreshNonce() {
        Sealed first = A.seal(SECRET, "cluster/prod");
        Sealed second = A.seal(SECRET, "cluster/prod");

        int nonceAt = 2 + "a".length();
        assertThat(Arrays.copyOfRange(first.ciphertext(), nonceAt, nonceAt + 12))
                .isNotEqualTo(Arrays.copyOfRange(second.ciphertext(), nonceAt, nonceAt + 12));
        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    }

    @Test
    void aCiphertextCopiedToAnotherRowDoesNotDecrypt() {
        Sealed sealed = A.seal(SECRET, "cluster/prod");

        assertThatThrownBy(() -> A.open(sealed.ciphertext(), "cluster/staging"))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("The stored secret of cluster/staging failed its integrity check with key 'a'")
                .hasMessageContaining("copied from another row")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aTamperedCiphertextFailsItsIntegrityCheck() {
        Sealed sealed = A.seal(SECRET, "cluster/prod");
        byte[] tampered = sealed.ciphertext().clone();
        tampered[tampered.length - 20] ^= 1;

        assertThatThrownBy(() -> A.open(tampered, "cluster/prod"))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("failed its integrity check")
                .hasMessageContaining("it was altered");
    }

    @Test
    void aValueRelabelledWithAnotherConfiguredKeyIdDoesNotDecrypt() {
        SecretBox ab = box("a:" + key(1) + ",b:" + key(2));
        Sealed sealed = ab.seal(SECRET, "cluster/prod");
        byte[] relabelled = sealed.ciphertext().clone();
        relabelled[2] = 'b';

        assertThatThrownBy(() -> ab.open(relabelled, "cluster/prod")).hasMessageContaining("failed its integrity check with key 'b'");
    }

    @Test
    void aValueWhoseKeyIsNotConfiguredNamesThatKey() {
        Sealed sealed = A.seal(SECRET, "cluster/prod");

        assertThatThrownBy(() -> box("b:" + key(2)).open(sealed.ciphertext(), "cluster/prod"))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("was encrypted with key 'a', which is not configured (configured: [b])")
                .hasMessageContaining("add key 'a' back to EBB_SECRETS_KEYS");
    }

    @Test
    void somethingThatIsNotACiphertextIsReportedAsSuch() {
        assertThatThrownBy(() -> A.open(SECRET.getBytes(StandardCharsets.UTF_8), "cluster/prod"))
                .hasMessageContaining("is not in a ciphertext format this Ebb knows");
        assertThatThrownBy(() -> A.open(new byte[] {1, 1, 'a', 0, 0}, "cluster/prod"))
                .hasMessageContaining("failed its integrity check");
    }

    @Test
    void resealingMovesAValueToTheCurrentKeySoTheOldKeyCanGo() {
        Sealed underA = A.seal(SECRET, "registry-credential/ml/ghcr");
        SecretBox rotating = box("b:" + key(2) + ",a:" + key(1));

        Sealed underB = rotating.reseal(underA.ciphertext(), "registry-credential/ml/ghcr");

        assertThat(underB.keyId()).isEqualTo("b");
        assertThat(box("b:" + key(2)).open(underB.ciphertext(), "registry-credential/ml/ghcr")).isEqualTo(SECRET);
    }
}
