package dev.ebb.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "nginx", "library/nginx:1.27", "ghcr.io/acme/model:1.0", "localhost:5000/model", "registry.local:5000/a/b/c:v1.2-rc_3",
        "ghcr.io/acme/model@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "ghcr.io/acme/model:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void acceptsValidReferences(String image) {
        assertThat(ImageReference.problem(image)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghcr.io/acme/model:", "ghcr.io//model", "model:tag:extra", "http://ghcr.io/model", "model@sha256:short", " "})
    void rejectsInvalidReferences(String image) {
        assertThat(ImageReference.problem(image)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghcr.io/Acme/Model:1.0"})
    void explainsThatRepositoriesAreLowerCase(String image) {
        assertThat(ImageReference.problem(image)).contains("lower-case");
    }
}
