package dev.ebb.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the console's single page for each of its screens' addresses, so that a bookmark, a shared link or a
 * reload of a screen opens it. The page holds no data: everything it shows comes from the API, behind sign-in.
 */
@Controller
class ConsolePages {

    // The console's screens, as its router (frontend/src/ui/paths.ts) names them.
    @GetMapping({"/services", "/services/new", "/services/{namespace}/{name}", "/services/{namespace}/{name}/revisions/{revision}/logs",
            "/audit", "/history", "/clusters", "/admin/tokens", "/admin/users"})
    String screen() {
        return "forward:/index.html";
    }
}
