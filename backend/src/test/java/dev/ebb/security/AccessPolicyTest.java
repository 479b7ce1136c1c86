package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.access.Caller;
import dev.ebb.access.Grant;
import dev.ebb.access.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final Caller VIEWER = new Caller("token:viewer", Caller.Kind.TOKEN, List.of(new Grant("ml", Role.VIEWER, false)));
    private static final Caller DEPLOYER = new Caller("token:ci", Caller.Kind.TOKEN, List.of(new Grant("ml", Role.DEPLOYER, false)));
    private static final Caller NAMESPACE_ADMIN = new Caller("user:bob", Caller.Kind.USER, List.of(new Grant("ml", Role.ADMIN, true)));
    private static final Caller ADMIN = new Caller("user:root", Caller.Kind.USER, List.of(new Grant("*", Role.ADMIN, true)));
    private static final Caller AUDITOR = new Caller("user:eve", Caller.Kind.USER, List.of(new Grant("*", Role.VIEWER, false)));
    private static final Caller GATEWAY = new Caller("gateway:edge", Caller.Kind.GATEWAY, List.of());

    @Test
    void viewersReadButDoNotChange() {
        assertThat(AccessPolicy.namespaced(VIEWER, "GET", "ml", "services").allowed()).isTrue();
        AccessPolicy.Decision post = AccessPolicy.namespaced(VIEWER, "POST", "ml", "services");
        assertThat(post.allowed()).isFalse();
        assertThat(post.reason()).isEqualTo("POST on services in namespace 'ml' needs the role deployer there; you are viewer");
    }

    @Test
    void deployersChangeServicesButNotCredentials() {
        assertThat(AccessPolicy.namespaced(DEPLOYER, "PUT", "ml", "services").allowed()).isTrue();
        assertThat(AccessPolicy.namespaced(DEPLOYER, "POST", "ml", "registry-credentials").allowed()).isFalse();
        assertThat(AccessPolicy.namespaced(NAMESPACE_ADMIN, "POST", "ml", "registry-credentials").allowed()).isTrue();
    }

    @Test
    void anotherNamespaceIsRefusedWithTheReason() {
        AccessPolicy.Decision decision = AccessPolicy.namespaced(DEPLOYER, "GET", "payments", "services");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("no role in namespace 'payments'");
    }

    @Test
    void aGatewayReachesOnlyTheInternalEndpoints() {
        assertThat(AccessPolicy.routingFeed(GATEWAY).allowed()).isTrue();
        assertThat(AccessPolicy.gatewayReports(GATEWAY).allowed()).isTrue();
        assertThat(AccessPolicy.namespaced(GATEWAY, "GET", "ml", "services").allowed()).isFalse();
        assertThat(AccessPolicy.audit(GATEWAY, null).allowed()).isFalse();
        assertThat(AccessPolicy.administration(GATEWAY).allowed()).isFalse();
        assertThat(AccessPolicy.metrics(GATEWAY).allowed()).isFalse();
    }

    @Test
    void onlyGatewaysReportLoadEvenAdminsDoNot() {
        assertThat(AccessPolicy.gatewayReports(ADMIN).allowed()).isFalse();
        assertThat(AccessPolicy.routingFeed(ADMIN).allowed()).isTrue();
        assertThat(AccessPolicy.routingFeed(NAMESPACE_ADMIN).allowed()).isFalse();
    }

    @Test
    void theWholeAuditTrailNeedsAStarRoleAndOneNamespaceItsOwn() {
        assertThat(AccessPolicy.audit(AUDITOR, null).allowed()).isTrue();
        assertThat(AccessPolicy.audit(VIEWER, null).allowed()).isFalse();
        assertThat(AccessPolicy.audit(VIEWER, "ml").allowed()).isTrue();
        assertThat(AccessPolicy.audit(VIEWER, "payments").allowed()).isFalse();
        assertThat(AccessPolicy.auditVerification(AUDITOR).allowed()).isTrue();
        assertThat(AccessPolicy.auditVerification(NAMESPACE_ADMIN).allowed()).isFalse();
    }

    @Test
    void usersTokensAndClustersAreForAdminsOfEveryNamespace() {
        assertThat(AccessPolicy.administration(ADMIN).allowed()).isTrue();
        assertThat(AccessPolicy.administration(NAMESPACE_ADMIN).allowed()).isFalse();
        assertThat(AccessPolicy.administration(AUDITOR).allowed()).isFalse();
    }

    @Test
    void theServiceOverviewIsForAnyoneWithARoleAndANamedNamespaceMustBeTheirs() {
        assertThat(AccessPolicy.serviceOverview(VIEWER, null).allowed()).isTrue();
        assertThat(AccessPolicy.serviceOverview(AUDITOR, null).allowed()).isTrue();
        assertThat(AccessPolicy.serviceOverview(VIEWER, "ml").allowed()).isTrue();
        AccessPolicy.Decision other = AccessPolicy.serviceOverview(VIEWER, "payments");
        assertThat(other.allowed()).isFalse();
        assertThat(other.reason()).contains("no role in namespace 'payments'");
        AccessPolicy.Decision nobody = AccessPolicy.serviceOverview(new Caller("user:new", Caller.Kind.USER, List.of()), null);
        assertThat(nobody.allowed()).isFalse();
        assertThat(nobody.reason()).contains("no role in any namespace");
        assertThat(AccessPolicy.serviceOverview(GATEWAY, null).allowed()).isFalse();
    }
}
