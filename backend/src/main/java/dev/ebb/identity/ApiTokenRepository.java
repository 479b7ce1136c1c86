package dev.ebb.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ApiTokenRepository extends JpaRepository<ApiTokenEntity, Long> {

    Optional<ApiTokenEntity> findByTokenHash(String tokenHash);

    Optional<ApiTokenEntity> findByName(String name);

    List<ApiTokenEntity> findAllByOrderByName();

    @Query("select count(t) > 0 from ApiTokenEntity t where t.revokedAt is null and (t.expiresAt is null or t.expiresAt > :now)")
    boolean anyUsable(Instant now);
}
