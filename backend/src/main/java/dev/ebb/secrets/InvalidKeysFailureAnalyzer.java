package dev.ebb.secrets;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns unusable keys at start-up into a short report instead of a stack trace. */
class InvalidKeysFailureAnalyzer extends AbstractFailureAnalyzer<InvalidKeysException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidKeysException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix EBB_SECRETS_KEYS (or the key file it names), or unset it to use the generated key file under EBB_DATA_DIR.",
                cause);
    }
}
