package dev.ebb.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void aServiceIsItsNameInItsNamespaceAndATagPutsItselfBeforeTheServiceAsKnativeDoes() {
        assertThat(Names.host(Names.hostLabel("sentiment", null), "ml", "svc.cluster.local")).isEqualTo("sentiment.ml.svc.cluster.local");
        assertThat(Names.host(Names.hostLabel("sentiment", "canary"), "ml", "ebb.localhost"))
                .isEqualTo("canary-sentiment.ml.ebb.localhost");
    }

    @Test
    void revisionNamesPadTheGenerationToFiveDigits() {
        assertThat(Names.revisionName("hello", 1)).isEqualTo("hello-00001");
        assertThat(Names.revisionName("hello", 12345)).isEqualTo("hello-12345");
    }

    @Test
    void aGivenRevisionNameNamesTheRevisionAndStartsWithTheServicesNameAsInKnative() {
        Template named = new Template("ghcr.io/acme/model:2", null, null, null, null, null, null, null, null, null, null, null,
                null, "hello-v2");
        assertThat(Names.revisionName("hello", 2, named)).isEqualTo("hello-v2");
        assertThat(Names.revisionName("hello", 2, null)).isEqualTo("hello-00002");
        assertThat(Names.givenRevisionNameProblem("hello", "hello-v2", 2)).isNull();
        assertThat(Names.givenRevisionNameProblem("hello", "world-v2", 2)).contains("starts with its service's name");
        assertThat(Names.givenRevisionNameProblem("hello", "hello-V2", 2)).contains("DNS-1123");
    }

    @Test
    void aGivenNameOfTheGeneratedFormIsTakenOnlyForItsOwnGenerationSoThatNoLaterRevisionLosesItsName() {
        assertThat(Names.givenRevisionNameProblem("hello", "hello-00002", 2)).isNull();
        assertThat(Names.givenRevisionNameProblem("hello", "hello-00003", 2)).contains("generation 3").contains("'hello-00002'");
    }

    @Test
    void aServiceNameLeavesRoomForItsRevisionSuffix() {
        String longest = "a".repeat(Names.MAX_SERVICE_NAME);
        assertThat(Names.dns1123Problem(longest, Names.MAX_SERVICE_NAME)).isNull();
        assertThat(Names.revisionName(longest, 1)).hasSize(63);
        assertThat(Names.dns1123Problem(longest + "a", Names.MAX_SERVICE_NAME)).contains("at most 57");
    }

    @Test
    void namesMustBeLowerCaseDnsLabels() {
        assertThat(Names.dns1123Problem("My_Model", 63)).contains("DNS-1123");
        assertThat(Names.dns1123Problem("-model", 63)).isNotNull();
        assertThat(Names.dns1123Problem("", 63)).contains("empty");
        assertThat(Names.dns1123Problem("model-2", 63)).isNull();
    }

    @Test
    void tagsMustStartWithALetter() {
        assertThat(Names.isDns1035Label("canary")).isTrue();
        assertThat(Names.isDns1035Label("1canary")).isFalse();
        assertThat(Names.isDns1035Label("Canary")).isFalse();
    }
}
