package dev.ebb.cluster;

import static dev.ebb.support.Kubeconfigs.clusterBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @Autowired
    Runtimes runtimes;

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
