package dev.ebb.identity;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiTokenRepository extends JpaRepository<ApiTokenEntity, Long> {

    Optional<ApiTokenEntity> findByTokenHash(String tokenHash);

    Optional<ApiTokenEntity> findByName(String name);

    List<ApiTokenEntity> findAllByOrderByName();
}
