package dev.ebb.identity;

import dev.ebb.audit.RequestActors;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API and gateway tokens, for admins of every namespace. Revoking is DELETE; the record stays for the audit trail. */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

    private final Tokens tokens;

    TokenController(Tokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    ResponseEntity<CreatedToken> create(@RequestBody TokenSpec spec, HttpServletRequest request) {
        CreatedToken created = tokens.create(spec, RequestActors.of(request));
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.token().name()))
                .cacheControl(CacheControl.noStore())
                .body(created);
    }

    @GetMapping
    List<TokenView> list() {
        return tokens.list();
    }

    @GetMapping("/{name}")
    TokenView get(@PathVariable String name) {
        return tokens.get(name);
    }

    @DeleteMapping("/{name}")
    TokenView revoke(@PathVariable String name, HttpServletRequest request) {
        return tokens.revoke(name, RequestActors.of(request));
    }
}
