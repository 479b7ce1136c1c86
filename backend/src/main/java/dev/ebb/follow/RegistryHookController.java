package dev.ebb.follow;

import dev.ebb.audit.RequestActors;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registry hooks: admins of every namespace create, list and delete them; registries post their push notifications to
 * one, proving with its secret that they may (the security configuration lets those posts through to here).
 */
@RestController
@RequestMapping("/api/v1/hooks/registry")
class RegistryHookController {

    private final RegistryHooks hooks;
    private final TagFollower follower;

    RegistryHookController(RegistryHooks hooks, TagFollower follower) {
        this.hooks = hooks;
        this.follower = follower;
    }

    @PostMapping
    ResponseEntity<CreatedRegistryHook> create(@RequestBody RegistryHookSpec spec, HttpServletRequest request) {
        CreatedRegistryHook created = hooks.create(spec, RequestActors.of(request));
        return ResponseEntity.created(URI.create(created.hook().path())).cacheControl(CacheControl.noStore()).body(created);
    }

    @GetMapping
    List<RegistryHookView> list() {
        return hooks.list();
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name, HttpServletRequest request) {
        hooks.delete(name, RequestActors.of(request));
        return ResponseEntity.noContent().build();
    }

    /**
     * A registry's notification: a Docker Distribution envelope or a Harbor webhook payload, of any content type, read
     * as the bytes the signature covers.
     */
    @PostMapping("/{name}")
    HookDelivery deliver(@PathVariable String name, @RequestBody(required = false) byte[] body,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(name = HookSignature.HEADER, required = false) String signature, HttpServletRequest request) {
        RegistryHooks.Hook hook = hooks.authenticate(name, authorization, signature, body);
        List<Push> pushes = RegistryEvents.parse(body);
        return follower.deliver(hook, pushes, RequestActors.acting(request, "hook:" + hook.name()));
    }
}
