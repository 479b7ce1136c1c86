package dev.ebb.identity;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface GrantRepository extends JpaRepository<GrantEntity, Long> {

    @Query("select g from GrantEntity g where g.subject = :subject order by g.namespace")
    List<GrantEntity> findBySubject(String subject);

    @Query("select g from GrantEntity g where g.subject in :subjects order by g.subject, g.namespace")
    List<GrantEntity> findBySubjects(Collection<String> subjects);

    @Modifying(flushAutomatically = true, clearAutomatically = false)
    @Query("delete from GrantEntity g where g.subject = :subject")
    void deleteBySubject(String subject);
}
