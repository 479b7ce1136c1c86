package dev.ebb.revision;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface RevisionRepository extends JpaRepository<RevisionEntity, Long> {

    Optional<RevisionEntity> findByServiceIdAndName(long serviceId, String name);

    /** Each revision's name, the image it runs and the time of the registry event or poll that made it, if one did. */
    @Query("select r.name, r.resolvedImage, r.triggerEventAt from RevisionEntity r where r.serviceId = :serviceId")
    List<Object[]> followedOf(long serviceId);

    Optional<RevisionEntity> findByServiceIdAndGeneration(long serviceId, int generation);

    List<RevisionEntity> findByServiceIdAndGenerationLessThanOrderByGenerationDesc(long serviceId, int generation, Limit limit);

    @Query("select r.name from RevisionEntity r where r.serviceId = :serviceId")
    List<String> namesOf(long serviceId);

    @Query("""
            select new dev.ebb.revision.RevisionState(r.serviceId, r.name, r.generation, r.readyStatus, r.readyReason,
                r.readyMessage, r.readyChangedAt)
            from RevisionEntity r where r.serviceId in :serviceIds""")
    List<RevisionState> statesOf(Collection<Long> serviceIds);

    /** The latest created revision of each service: generations only grow and the latest is never collected. */
    @Query("""
            select r from RevisionEntity r where r.serviceId in :serviceIds
            and r.generation = (select max(l.generation) from RevisionEntity l where l.serviceId = r.serviceId)""")
    List<RevisionEntity> latestOf(Collection<Long> serviceIds);

    Optional<RevisionEntity> findByNamespaceAndName(String namespace, String name);

    /** Revisions whose image is not resolved, each with its service's name; few, thanks to a partial index. */
    @Query("""
            select r, s.name from RevisionEntity r, ServiceEntity s
            where s.id = r.serviceId and r.imageStatus <> 'True' order by r.id""")
    List<Object[]> pendingImages();

    List<RevisionEntity> findByNamespaceAndNameIn(String namespace, Collection<String> names);

    /** Stores one cluster's readiness of a revision, replacing what that cluster reported before. */
    @Modifying
    @Query(nativeQuery = true, value = """
            insert into revision_cluster_readiness (revision_id, cluster, status, reason, message, changed_at)
            values (:revisionId, :cluster, :status, :reason, :message, :changedAt)
            on conflict (revision_id, cluster) do update set status = excluded.status, reason = excluded.reason,
                message = excluded.message, changed_at = excluded.changed_at""")
    void saveClusterReadiness(long revisionId, String cluster, String status, String reason, String message, Instant changedAt);

    /** Every cluster's readiness of a revision, as {@link #saveClusterReadiness} stored it. */
    @Query(nativeQuery = true, value = """
            select cluster, status, reason, message, changed_at as changedAt from revision_cluster_readiness
            where revision_id = :revisionId""")
    List<ClusterReadinessRow> clusterReadinessOf(long revisionId);

    /** One row of {@link #clusterReadinessOf}. */
    interface ClusterReadinessRow {
        String getCluster();

        String getStatus();

        String getReason();

        String getMessage();

        Instant getChangedAt();
    }
}
