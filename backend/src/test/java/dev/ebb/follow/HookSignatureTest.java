package dev.ebb.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HookSignatureTest {

    private static final byte[] BODY = "{\"events\": []}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theBearerTokenMustBeTheSecret() {
        assertThat(HookSignature.bearerMatches("Bearer s3cret", "s3cret")).isTrue();
        assertThat(HookSignature.bearerMatches("bearer s3cret ", "s3cret")).isTrue();
        assertThat(HookSignature.bearerMatches("Bearer s3cre", "s3cret")).isFalse();
        assertThat(HookSignature.bearerMatches("Basic s3cret", "s3cret")).isFalse();
        assertThat(HookSignature.bearerMatches(null, "s3cret")).isFalse();
    }

    @Test
    void theSignatureIsTheHmacOfTheBodyWithTheSecret() {
        // What `printf '{"events": []}' | openssl dgst -sha256 -hmac s3cret` prints.
        String signed = HookSignature.sign(BODY, "s3cret");
        assertThat(signed).isEqualTo("sha256=cd18eab860dcfde5d0b5158b351721f71ec961f8f924b2543048a7056c407d91");
        assertThat(HookSignature.signatureMatches(signed, BODY, "s3cret")).isTrue();
        assertThat(HookSignature.signatureMatches(signed.substring(7).toUpperCase(), BODY, "s3cret")).as("bare hex").isTrue();
        assertThat(HookSignature.signatureMatches(signed, "{\"events\":[]}".getBytes(StandardCharsets.UTF_8), "s3cret"))
                .as("another body").isFalse();
        assertThat(HookSignature.signatureMatches(signed, BODY, "other")).as("another secret").isFalse();
    }
}
