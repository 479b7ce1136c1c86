package dev.ebb.secrets;

import dev.ebb.problem.EbbException;
import java.util.List;

/**
 * A stored secret cannot be decrypted: its key is no longer configured, or it was altered or copied to
 * another row. Stored state or configuration is wrong, not the request, hence 500.
 */
public class SecretUnreadableException extends EbbException {

    SecretUnreadableException(String detail) {
        super(500, "secret-unreadable", "Stored secret cannot be decrypted", detail, List.of());
    }
}
