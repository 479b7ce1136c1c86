package dev.ebb.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a start without any database into one sentence that says what to set, instead of a stack trace. */
class NoEmbeddedDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<NoEmbeddedDatabaseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoEmbeddedDatabaseException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set EBB_DATABASE_URL, or run the full ebb.jar, which carries an embedded PostgreSQL for local use.", cause);
    }
}
