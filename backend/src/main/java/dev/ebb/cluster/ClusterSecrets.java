package dev.ebb.cluster;

import dev.ebb.secrets.SecretHolder;
import dev.ebb.secrets.Sealed;
import java.util.List;

/** The clusters' kubeconfigs, as rotation sees them. */
class ClusterSecrets implements SecretHolder {

    private final ClusterRepository clusters;

    ClusterSecrets(ClusterRepository clusters) {
        this.clusters = clusters;
    }

    @Override
    public List<StoredSecret> lockAll() {
        return clusters.lockAll().stream()
                .map(c -> new StoredSecret(c.id(), Clusters.row(c.name()), c.kubeconfig()))
                .toList();
    }

    @Override
    public void replace(StoredSecret secret, Sealed resealed) {
        ClusterEntity entity = clusters.findById(secret.id()).orElseThrow(() -> new IllegalStateException(
                "cluster row " + secret.id() + " vanished while locked"));
        entity.seal(resealed);
        clusters.save(entity);
    }
}
