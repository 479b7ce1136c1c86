package dev.ebb.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.problem.EbbException;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.PreconditionFailedException;
import org.junit.jupiter.api.Test;

class PreconditionsTest {

    @Test
    void theQuotedEtagOfTheCurrentVersionPasses() {
        Preconditions.checkIfMatch("\"3\"", "3", "Service 'hello'");
        Preconditions.checkIfMatch("\"2\", \"3\"", "3", "Service 'hello'");
        Preconditions.checkIfMatch("*", "3", "Service 'hello'");
        Preconditions.checkIfMatch(null, "3", "Service 'hello'");
    }

    @Test
    void aQuotedEtagOfAnotherVersionIsAStalePrecondition() {
        assertThatThrownBy(() -> Preconditions.checkIfMatch("\"2\"", "3", "Service 'hello'"))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("current ETag is \"3\"");
    }

    @Test
    void aWeakEtagNeverMatchesSinceIfMatchComparesStrongly() {
        assertThat(Preconditions.entityTags("W/\"3\"")).containsExactly("W/\"3\"");
        assertThatThrownBy(() -> Preconditions.checkIfMatch("W/\"3\"", "3", "Service 'hello'"))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void anUnquotedEtagIsABadRequestThatShowsTheQuotedForm() {
        assertThatThrownBy(() -> Preconditions.checkIfMatch("3", "3", "Service 'hello'"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((EbbException) e).status()).isEqualTo(400))
                .hasMessageContaining("If-Match")
                .hasMessageContaining("If-Match: \"3\"");
    }

    @Test
    void oneUnquotedTagInAListSpoilsTheList() {
        assertThatThrownBy(() -> Preconditions.entityTags("\"2\", 3"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("If-Match: \"2\", \"3\"");
    }

    @Test
    void garbageAroundATagOrAnUnclosedQuoteIsRefused() {
        for (String value : new String[] {"\"3\"x", "\"3", "*, \"3\"", ",", "W/3"}) {
            assertThatThrownBy(() -> Preconditions.entityTags(value)).as(value).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void aCommaInsideQuotesBelongsToTheTag() {
        assertThat(Preconditions.entityTags("\"a,b\", \"3\"")).containsExactly("\"a,b\"", "\"3\"");
    }
}
