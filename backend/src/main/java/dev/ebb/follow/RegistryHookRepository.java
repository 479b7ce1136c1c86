package dev.ebb.follow;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface RegistryHookRepository extends JpaRepository<RegistryHookEntity, Long> {

    Optional<RegistryHookEntity> findByName(String name);

    boolean existsByName(String name);

    List<RegistryHookEntity> findAllByOrderByNameAsc();

    /** Every hook, locked until the transaction ends, for rotating the key that encrypts their secrets. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select h from RegistryHookEntity h order by h.id")
    List<RegistryHookEntity> lockAll();
}
