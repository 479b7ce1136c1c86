package dev.ebb.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageNameTest {

    @Test
    void aBareNameIsADockerHubLibraryImageAtLatest() {
        ImageName nginx = ImageName.parse("nginx");

        assertThat(nginx).isEqualTo(new ImageName("docker.io", "library/nginx", "latest", null, "nginx"));
        assertThat(nginx.apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(nginx.withDigest("sha256:ab")).isEqualTo("nginx@sha256:ab");
    }

    @Test
    void aRegistryWithAPortKeepsThePortAndThePath() {
        ImageName model = ImageName.parse("localhost:32000/acme/model:1.0");

        assertThat(model).isEqualTo(new ImageName("localhost:32000", "acme/model", "1.0", null, "localhost:32000/acme/model"));
        assertThat(model.apiHost()).isEqualTo("localhost:32000");
        assertThat(model.withDigest("sha256:ab")).isEqualTo("localhost:32000/acme/model@sha256:ab");
    }

    @Test
    void anOrganisationOnDockerHubIsNotARegistry() {
        assertThat(ImageName.parse("acme/model:2").registry()).isEqualTo("docker.io");
        assertThat(ImageName.parse("docker.io/nginx:1").repository()).isEqualTo("library/nginx");
        assertThat(ImageName.parse("index.docker.io/acme/model").registry()).isEqualTo("docker.io");
    }

    @Test
    void aDigestMakesTheReferencePinned() {
        ImageName pinned = ImageName.parse("ghcr.io/acme/model:1.0@sha256:0123");

        assertThat(pinned.pinned()).isTrue();
        assertThat(pinned.tag()).isEqualTo("1.0");
        assertThat(pinned.digest()).isEqualTo("sha256:0123");
        assertThat(ImageName.parse("ghcr.io/acme/model@sha256:0123").tag()).isNull();
        assertThat(ImageName.parse("ghcr.io/acme/model:1.0").pinned()).isFalse();
    }
}
