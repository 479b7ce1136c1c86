package dev.ebb.cli;

import dev.ebb.cli.output.Format;
import java.io.PrintWriter;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code --limit} and {@code --continue} for a list the API pages, and the hint that names the next page. */
public final class PageOptions {

    @Option(names = "--limit", paramLabel = "N", description = "At most N items (the API's default when left out)")
    Integer limit;

    @Option(names = "--continue", paramLabel = "TOKEN", description = "The next page, as the previous answer named it")
    String continueToken;

    public Integer limit() {
        return limit;
    }

    public String continueToken() {
        return continueToken;
    }

    /** Under a table, on standard error so that the table stays whole: how to ask for the next page, if there is one. */
    public static void hintNextPage(JsonNode page, Format format, PrintWriter err) {
        String next = page.path("continue").asString("");
        if (!next.isEmpty() && format == Format.TABLE) {
            err.println("more: add --continue " + next);
            err.flush();
        }
    }
}
