package dev.ebb.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallerTest {

    private static Caller with(Grant... grants) {
        return new Caller("user:alice", Caller.Kind.USER, List.of(grants));
    }

    @Test
    void aViewerReadsOnlyTheirNamespace() {
        Caller viewer = with(new Grant("ml", Role.VIEWER, false));
        assertThat(viewer.may(Permission.READ, "ml")).isTrue();
        assertThat(viewer.may(Permission.DEPLOY, "ml")).isFalse();
        assertThat(viewer.may(Permission.READ, "other")).isFalse();
        assertThat(viewer.belongsTo("other")).isFalse();
    }

    @Test
    void eachRoleIncludesTheOnesBeforeIt() {
        Caller admin = with(new Grant("ml", Role.ADMIN, false));
        assertThat(admin.may(Permission.READ, "ml")).isTrue();
        assertThat(admin.may(Permission.DEPLOY, "ml")).isTrue();
        assertThat(admin.may(Permission.ADMINISTER, "ml")).isTrue();
        assertThat(admin.may(Permission.PUBLISH, "ml")).isTrue();
    }

    @Test
    void aDeployerPublishesOnlyWithThePublishFlag() {
        assertThat(with(new Grant("ml", Role.DEPLOYER, false)).may(Permission.PUBLISH, "ml")).isFalse();
        assertThat(with(new Grant("ml", Role.DEPLOYER, true)).may(Permission.PUBLISH, "ml")).isTrue();
        assertThat(with(new Grant("ml", Role.VIEWER, true)).may(Permission.PUBLISH, "ml")).isFalse();
    }

    @Test
    void aStarGrantCoversEveryNamespaceIncludingFutureOnes() {
        Caller auditor = with(new Grant(Grant.EVERY_NAMESPACE, Role.VIEWER, false));
        assertThat(auditor.may(Permission.READ, "created-tomorrow")).isTrue();
        assertThat(auditor.mayEverywhere(Permission.READ)).isTrue();
        assertThat(auditor.mayEverywhere(Permission.DEPLOY)).isFalse();
    }

    @Test
    void rolesInEveryNamespaceSeparatelyAreNotAStarGrant() {
        Caller admin = with(new Grant("a", Role.ADMIN, true), new Grant("b", Role.ADMIN, true));
        assertThat(admin.mayEverywhere(Permission.ADMINISTER)).isFalse();
    }

    @Test
    void theStrongerOfTwoCoveringGrantsCounts() {
        Caller caller = with(new Grant(Grant.EVERY_NAMESPACE, Role.VIEWER, false), new Grant("ml", Role.DEPLOYER, false));
        assertThat(caller.may(Permission.DEPLOY, "ml")).isTrue();
        assertThat(caller.may(Permission.DEPLOY, "other")).isFalse();
    }

    @Test
    void theNamespacesACallerReadsAreThoseOfItsGrantsWithoutTheStar() {
        Caller caller = with(new Grant("ml", Role.VIEWER, false), new Grant("web", Role.DEPLOYER, false),
                new Grant(Grant.EVERY_NAMESPACE, Role.VIEWER, false));
        assertThat(caller.namespacesWhere(Permission.READ)).containsExactly("ml", "web");
        assertThat(caller.namespacesWhere(Permission.DEPLOY)).containsExactly("web");
        assertThat(with().namespacesWhere(Permission.READ)).isEmpty();
    }
}
