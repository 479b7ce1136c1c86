package dev.ebb.identity;

import dev.ebb.audit.RequestActors;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users, for admins of every namespace. */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final Users users;

    UserController(Users users) {
        this.users = users;
    }

    @PostMapping
    ResponseEntity<UserView> create(@RequestBody UserSpec spec, HttpServletRequest request) {
        UserView created = users.create(spec, RequestActors.of(request));
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.username())).body(created);
    }

    @GetMapping
    List<UserView> list() {
        return users.list();
    }

    @GetMapping("/{username}")
    UserView get(@PathVariable String username) {
        return users.get(username);
    }

    @PatchMapping(path = "/{username}", consumes = {"application/merge-patch+json", "application/json"})
    UserView update(@PathVariable String username, @RequestBody UserPatch patch, HttpServletRequest request) {
        return users.update(username, patch, RequestActors.of(request));
    }

    @DeleteMapping("/{username}")
    ResponseEntity<Void> delete(@PathVariable String username, HttpServletRequest request) {
        users.delete(username, RequestActors.of(request));
        return ResponseEntity.noContent().build();
    }
}
