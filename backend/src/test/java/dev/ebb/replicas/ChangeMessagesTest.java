package dev.ebb.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.cluster.ClusterChanged;
import dev.ebb.coldstart.WarmChanged;
import dev.ebb.registry.RegistryCredentialsChanged;
import dev.ebb.runtime.RevisionRetried;
import dev.ebb.service.ServiceChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The changes replicas pass on, as notification text and back. */
class ChangeMessagesTest {

    @Test
    void everyChangeAnotherReplicaActsOnComesBackAsItWasSent() {
        for (Object change : List.of(new ServiceChanged("ml", "ranker"), new ClusterChanged("eu-west"),
                new WarmChanged("ml", "ranker"), new RegistryCredentialsChanged("ml"),
                new RevisionRetried("eu-west", "ml", "ranker", "ranker-00003"))) {
            String message = ChangeMessages.encode("replica-a", change).orElseThrow();

            assertThat(ChangeMessages.decode(message)).contains(new ChangeMessages.Received("replica-a", change));
        }
    }

    @Test
    void anEventReplicasDoNotShareIsNotSentAndAMessageOfANewerKindIsIgnored() {
        assertThat(ChangeMessages.encode("replica-a", "something else")).isEmpty();
        assertThat(ChangeMessages.decode("replica-b rollout ml ranker")).isEmpty();
        assertThat(ChangeMessages.decode("replica-b service ml")).isEmpty();
        assertThat(ChangeMessages.decode("")).isEmpty();
    }
}
