package dev.ebb.secrets;

import dev.ebb.audit.RequestActors;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lets an operator move every stored secret onto the current key before dropping an old one. */
@RestController
class SecretsController {

    private final SecretRotation rotation;

    SecretsController(SecretRotation rotation) {
        this.rotation = rotation;
    }

    @PostMapping("/api/v1/secrets/rotate")
    RotationResult rotate(HttpServletRequest request) {
        return rotation.rotate(RequestActors.of(request));
    }
}
