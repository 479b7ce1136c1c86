package dev.ebb.web;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.spec.NearestName;
import java.util.Collection;
import java.util.TreeSet;

/** Checks the names of a request's query parameters, so that a misspelt filter is not silently ignored. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** Refuses (400) the first parameter that is not {@code known}, with the name it was probably meant to be. */
    public static void requireKnown(Collection<String> given, Collection<String> known) {
        for (String name : new TreeSet<>(given)) {
            if (!known.contains(name)) {
                String hint = NearestName.among(name, known).map(n -> "did you mean '" + n + "'?")
                        .orElse("known parameters here: " + String.join(", ", new TreeSet<>(known)));
                throw InvalidInputException.unreadable(name, "is not a query parameter of this endpoint; " + hint);
            }
        }
    }
}
