package dev.ebb.follow;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The answer to creating a registry hook: the only time its secret is shown. The registry sends it as
 * {@code Authorization: Bearer <secret>}, or signs each body with it ({@code X-Ebb-Signature: sha256=<hex of the
 * HMAC-SHA256>}).
 */
public record CreatedRegistryHook(@JsonUnwrapped RegistryHookView hook, String secret) {
}
