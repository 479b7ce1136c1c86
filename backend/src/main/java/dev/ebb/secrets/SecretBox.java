package dev.ebb.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and decrypts secrets with AES-256-GCM. A ciphertext is
 * {@code version (1) | key id length (1) | key id | nonce (12) | encrypted value and 16-byte tag}; a random
 * nonce is drawn for every value. The associated data is the header followed by the row the value
 * belongs to (such as {@code cluster/prod}), so a ciphertext copied to another row, or with its key id
 * changed, fails to decrypt.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing keys;
    private final SecureRandom random;

    public SecretBox(KeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    /** The id of the key new values are encrypted with. */
    public String currentKeyId() {
        return keys.currentId();
    }

    /** Encrypts {@code plaintext} with the current key, bound to {@code row}. */
    public Sealed seal(String plaintext, String row) {
        byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            return seal(bytes, row);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Decrypts a value stored for {@code row}. */
    public String open(byte[] ciphertext, String row) {
        byte[] plain = decrypt(ciphertext, row);
        try {
            return new String(plain, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Re-encrypts a value stored for {@code row} with the current key, without the plaintext leaving this class. */
    public Sealed reseal(byte[] ciphertext, String row) {
        byte[] plain = decrypt(ciphertext, row);
        try {
            return seal(plain, row);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private Sealed seal(byte[] plaintext, String row) {
        String keyId = keys.currentId();
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        ByteBuffer header = ByteBuffer.allocate(2 + id.length).put(VERSION).put((byte) id.length).put(id);
        byte[] headerBytes = header.array();
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.currentKey(), nonce);
            cipher.updateAAD(associatedData(headerBytes, row));
            byte[] encrypted = cipher.doFinal(plaintext);
            byte[] out = ByteBuffer.allocate(headerBytes.length + NONCE_BYTES + encrypted.length)
                    .put(headerBytes).put(nonce).put(encrypted).array();
            return new Sealed(keyId, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed, which this JVM should always support", e);
        }
    }

    private byte[] decrypt(byte[] ciphertext, String row) {
        Header header = header(ciphertext, row);
        byte[] key = keys.key(header.keyId()).orElseThrow(() -> new SecretUnreadableException("The stored secret of " + row
                + " was encrypted with key '" + header.keyId() + "', which is not configured (configured: " + keys.ids()
                + "): add key '" + header.keyId() + "' back to EBB_SECRETS_KEYS after the current key, then run "
                + "POST /api/v1/secrets/rotate before removing it"));
        int headerLength = 2 + header.idLength();
        if (ciphertext.length < headerLength + NONCE_BYTES + TAG_BITS / 8) {
            throw tampered(row, header.keyId());
        }
        byte[] nonce = Arrays.copyOfRange(ciphertext, headerLength, headerLength + NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData(Arrays.copyOf(ciphertext, headerLength), row));
            return cipher.doFinal(ciphertext, headerLength + NONCE_BYTES, ciphertext.length - headerLength - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw tampered(row, header.keyId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed, which this JVM should always support", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static SecretUnreadableException tampered(String row, String keyId) {
        return new SecretUnreadableException("The stored secret of " + row + " failed its integrity check with key '" + keyId
                + "': it was altered, or copied from another row (a value is bound to the row it was written for), "
                + "or a different key now has the id '" + keyId + "'. Write the secret again with PUT");
    }

    private record Header(String keyId, int idLength) {
    }

    private static Header header(byte[] ciphertext, String row) {
        if (ciphertext == null || ciphertext.length < 3 || ciphertext[0] != VERSION) {
            throw new SecretUnreadableException("The stored secret of " + row + " is not in a ciphertext format this Ebb knows"
                    + " (version " + (ciphertext == null || ciphertext.length == 0 ? "none" : Byte.toString(ciphertext[0]))
                    + "); write the secret again with PUT");
        }
        int idLength = Byte.toUnsignedInt(ciphertext[1]);
        if (ciphertext.length < 2 + idLength) {
            throw new SecretUnreadableException("The stored secret of " + row + " is truncated; write the secret again with PUT");
        }
        return new Header(new String(ciphertext, 2, idLength, StandardCharsets.UTF_8), idLength);
    }

    private static byte[] associatedData(byte[] header, String row) {
        byte[] rowBytes = row.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(header.length + rowBytes.length).put(header).put(rowBytes).array();
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }
}
