package dev.ebb.audit;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface AuditRepository extends JpaRepository<AuditEventEntity, Long>, JpaSpecificationExecutor<AuditEventEntity> {

    /** One page of the chain, oldest first. */
    List<AuditEventEntity> findByIdGreaterThanOrderByIdAsc(long id, Limit limit);

    Optional<AuditEventEntity> findFirstByOrderByIdDesc();

    Optional<AuditEventEntity> findFirstByOrderByIdAsc();
}
