package dev.ebb.service;

import dev.ebb.problem.EbbException;
import java.util.List;

/** The request would take a namespace past a limit set for it (409, {@code quota-exceeded}). */
class QuotaExceededException extends EbbException {

    QuotaExceededException(String detail) {
        super(409, "quota-exceeded", "Quota exceeded", detail, List.of());
    }
}
