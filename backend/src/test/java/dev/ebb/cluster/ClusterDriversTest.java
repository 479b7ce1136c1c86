package dev.ebb.cluster;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.audit.Actor;
import dev.ebb.runtime.RuntimeDriver;
import dev.ebb.runtime.Runtimes;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RealKubernetes;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A registered cluster's Kubernetes driver follows its registration: started again when the registration changed, and
 * kept when a replica is told of a change it already runs with (another replica's change, or every cluster after a gap
 * in the change feed).
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class ClusterDriversTest extends ApiTest {

    private static final Duration SLOW = Duration.ofSeconds(30);
    private static final Actor ANOTHER_REPLICA = new Actor("test:another-replica", null, null, null, null, null);

    @Autowired
    Runtimes runtimes;

    @Autowired
    Clusters clusters;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    PlatformTransactionManager transactions;

    private final String cluster = "k-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void unregister() {
        http().delete("/api/v1/clusters/" + cluster);
    }

    @Test
    void toldAgainOfTheRegistrationItRunsTheDriverStaysAndANewerRegistrationReplacesIt() {
        RuntimeDriver registered = register();

        heard(new ClusterChanged(cluster));
        assertThat(runtimes.driver(cluster)).as("told of the version it runs").containsSame(registered);

        Http.Response replaced = http().put("/api/v1/clusters/" + cluster, "{\"description\": \"a newer version\"}");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        await().atMost(SLOW).untilAsserted(() -> assertThat(runtimes.driver(cluster)).as("the newer version's driver")
                .hasValueSatisfying(driver -> assertThat(driver).isNotSameAs(registered)));
    }

    @Test
    void aClusterRegisteredAgainUnderItsNameGetsANewDriverWhenBothChangesAreHeardLate() {
        RuntimeDriver registered = register();

        // Another replica removes the cluster and registers it again pointing elsewhere; this one hears of both changes
        // only once both are done, and finds a registration of the same resource version as the one it runs.
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            clusters.delete(cluster, null, ANOTHER_REPLICA);
            clusters.create(new ClusterSpec(cluster, "registered again", RealKubernetes.kubeconfigThrough(1), null),
                    ANOTHER_REPLICA);
        });

        await().atMost(SLOW).untilAsserted(() -> assertThat(runtimes.driver(cluster)).as("the new registration's driver")
                .hasValueSatisfying(driver -> assertThat(driver).isNotSameAs(registered)));
    }

    /** Registers the cluster, on the test API server, and answers its driver. */
    private RuntimeDriver register() {
        Http.Response registered = http().post("/api/v1/clusters", clusterBody(cluster, RealKubernetes.kubeconfig()));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        return await().atMost(SLOW).until(() -> runtimes.driver(cluster).orElse(null), driver -> driver != null);
    }

    /** Publishes {@code change} as the change feed does: in a transaction of its own, heard once it commits. */
    private void heard(Object change) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> events.publishEvent(change));
    }
}
