package dev.ebb.cluster;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface ClusterRepository extends JpaRepository<ClusterEntity, Long> {

    Optional<ClusterEntity> findByName(String name);

    boolean existsByName(String name);

    /** The cluster locked for the rest of the transaction, so concurrent writers take turns. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from ClusterEntity c where c.name = :name")
    Optional<ClusterEntity> lockByName(String name);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from ClusterEntity c order by c.id")
    List<ClusterEntity> lockAll();

    @Query("select c.name from ClusterEntity c order by c.name")
    List<String> findAllNames();

    List<ClusterEntity> findByNameGreaterThanOrderByNameAsc(String after, Limit limit);
}
