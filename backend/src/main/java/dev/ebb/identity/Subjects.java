package dev.ebb.identity;

import dev.ebb.access.Grant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The grants of users and tokens, stored by subject name ({@code user:alice}, {@code token:ci}). */
@Component
class Subjects {

    static final String USER = "user:";
    static final String TOKEN = "token:";
    static final String GATEWAY = "gateway:";

    private final GrantRepository grants;

    Subjects(GrantRepository grants) {
        this.grants = grants;
    }

    List<Grant> grantsOf(String subject) {
        return grants.findBySubject(subject).stream().map(GrantEntity::grant).toList();
    }

    /** The grants of many subjects in one query, for lists; a subject without grants maps to an empty list. */
    Map<String, List<Grant>> grantsOf(Collection<String> subjects) {
        Map<String, List<Grant>> bySubject = new HashMap<>();
        subjects.forEach(subject -> bySubject.put(subject, new ArrayList<>()));
        if (!subjects.isEmpty()) {
            grants.findBySubjects(subjects).forEach(entity -> bySubject.get(entity.subject()).add(entity.grant()));
        }
        return bySubject;
    }

    void replace(String subject, List<Grant> next) {
        grants.deleteBySubject(subject);
        grants.saveAll(next.stream().map(grant -> new GrantEntity(subject, grant)).toList());
    }

    void remove(String subject) {
        grants.deleteBySubject(subject);
    }

    static List<GrantSpec> specs(List<Grant> grants) {
        return grants.stream().map(GrantSpec::of).toList();
    }
}
