package dev.ebb.service;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface SnapshotRepository extends JpaRepository<SnapshotEntity, Long> {

    Optional<SnapshotEntity> findFirstByNamespaceAndNameAndRecordedAtLessThanEqualOrderByRecordedAtDescIdDesc(
            String namespace, String name, Instant at);
}
