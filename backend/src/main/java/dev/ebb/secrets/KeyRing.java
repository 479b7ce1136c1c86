package dev.ebb.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys secrets are encrypted with: the first encrypts, all of them decrypt. Read from a
 * comma-separated list of {@code <id>:<base64 of 32 bytes>}, as {@code EBB_SECRETS_KEYS} holds it.
 */
public final class KeyRing {

    static final int KEY_BYTES = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String HOW_TO_GENERATE = "generate one with: echo \"<id>:$(openssl rand -base64 32)\"";

    private final Map<String, byte[]> keys;
    private final String current;

    private KeyRing(Map<String, byte[]> keys) {
        this.keys = keys;
        this.current = keys.keySet().iterator().next();
    }

    /**
     * Reads a key list.
     *
     * @param source where the list came from, for the error message, such as {@code EBB_SECRETS_KEYS}
     * @throws InvalidKeysException when an entry is malformed, a key is not 32 bytes, or an id repeats
     */
    public static KeyRing parse(String list, String source) {
        if (list == null || list.isBlank()) {
            throw new InvalidKeysException(source + " holds no key: write it as <id>:<base64 of 32 bytes>[,<id>:<base64>...]; "
                    + HOW_TO_GENERATE);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String[] entries = list.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            String where = source + " entry " + (i + 1);
            if (entry.isEmpty()) {
                throw new InvalidKeysException(where + " is empty: separate keys with single commas, as in a:<base64>,b:<base64>");
            }
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new InvalidKeysException(where + " has no key id: write each key as <id>:<base64 of 32 bytes>, e.g. "
                        + "2026-11:<base64>; " + HOW_TO_GENERATE);
            }
            String id = entry.substring(0, colon).trim();
            if (!ID.matcher(id).matches()) {
                throw new InvalidKeysException(where + " has an invalid key id: an id is 1 to 64 letters, digits, '.', '_' or '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidKeysException("Key '" + id + "' in " + source + " is not valid base64; " + HOW_TO_GENERATE);
            }
            if (key.length != KEY_BYTES) {
                throw new InvalidKeysException("Key '" + id + "' in " + source + " is " + key.length
                        + " bytes long, but AES-256 needs exactly " + KEY_BYTES + "; " + HOW_TO_GENERATE);
            }
            if (keys.putIfAbsent(id, key) != null) {
                throw new InvalidKeysException("Key id '" + id + "' appears twice in " + source
                        + ": give every key its own id, and remove a key only after rotating away from it");
            }
        }
        return new KeyRing(keys);
    }

    /** A fresh list entry {@code <id>:<base64 of 32 random bytes>}. */
    static String newEntry(String id, byte[] randomKey) {
        if (randomKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key is " + KEY_BYTES + " bytes");
        }
        return id + ":" + Base64.getEncoder().encodeToString(randomKey);
    }

    /** The id of the key new values are encrypted with. */
    public String currentId() {
        return current;
    }

    /** Every configured key id, the current one first. */
    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    byte[] currentKey() {
        return keys.get(current);
    }

    Optional<byte[]> key(String id) {
        return Optional.ofNullable(keys.get(id)).map(k -> Arrays.copyOf(k, k.length));
    }

    /**
     * {@code label} signed with every key (HMAC-SHA256, base64url), the current key's first: values every replica derives
     * alike without storing them, which change with {@code label} and when the keys rotate.
     */
    public List<String> derive(String label) {
        List<String> derived = new ArrayList<>();
        for (byte[] key : keys.values()) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                derived.add(Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(label.getBytes(StandardCharsets.UTF_8))));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }
        return derived;
    }

    /** Names the key ids only. */
    @Override
    public String toString() {
        return "KeyRing" + ids();
    }
}
