package dev.ebb.service;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ServiceRepository extends JpaRepository<ServiceEntity, Long> {

    Optional<ServiceEntity> findByNamespaceAndName(String namespace, String name);

    /** The service locked for the rest of the transaction, so concurrent writers take turns. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from ServiceEntity s where s.namespace = :namespace and s.name = :name")
    Optional<ServiceEntity> lockByNamespaceAndName(String namespace, String name);

    boolean existsByNamespaceAndName(String namespace, String name);

    List<ServiceEntity> findByNamespaceAndNameGreaterThanOrderByNameAsc(String namespace, String after, Limit limit);

    @Modifying
    @Query(value = "insert into namespaces (name, created_at) values (:name, :now) on conflict do nothing", nativeQuery = true)
    void ensureNamespace(String name, Instant now);

    /** Locks the namespace's row for the rest of the transaction, so that creates in it take turns at its quota. */
    @Query(value = "select name from namespaces where name = :name for update", nativeQuery = true)
    String lockNamespace(String name);

    long countByNamespace(String namespace);

    /** Namespace, name and image of each service whose latest revision's template follows its tag. */
    @Query(value = """
            select s.namespace, s.name, r.template ->> 'image' from services s
            join revisions r on r.service_id = s.id and r.generation = s.latest_generation
            where r.template ->> 'imagePolicy' = 'follow-tag' order by s.namespace, s.name""", nativeQuery = true)
    List<Object[]> following();

    @Query("select new dev.ebb.service.ServiceName(s.namespace, s.name) from ServiceEntity s")
    List<ServiceName> findAllNames();
}
