package dev.ebb.registry;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface RegistryCredentialRepository extends JpaRepository<RegistryCredentialEntity, Long> {

    Optional<RegistryCredentialEntity> findByNamespaceAndName(String namespace, String name);

    boolean existsByNamespaceAndName(String namespace, String name);

    /** The credential locked for the rest of the transaction, so concurrent writers take turns. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from RegistryCredentialEntity r where r.namespace = :namespace and r.name = :name")
    Optional<RegistryCredentialEntity> lockByNamespaceAndName(String namespace, String name);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from RegistryCredentialEntity r order by r.id")
    List<RegistryCredentialEntity> lockAll();

    /** The credentials of a namespace for one registry server, the first by name first. */
    List<RegistryCredentialEntity> findByNamespaceAndServerOrderByNameAsc(String namespace, String server);

    List<RegistryCredentialEntity> findByNamespaceAndNameGreaterThanOrderByNameAsc(String namespace, String after, Limit limit);

    /** Namespaces are created the first time something is stored in them, as services do. */
    @Modifying
    @Query(value = "insert into namespaces (name, created_at) values (:name, :now) on conflict do nothing", nativeQuery = true)
    void ensureNamespace(String name, Instant now);
}
