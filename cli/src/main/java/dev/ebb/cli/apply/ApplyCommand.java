package dev.ebb.cli.apply;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.CliFailure;
import dev.ebb.cli.DurationConverter;
import dev.ebb.cli.ExitCode;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.Terminals;
import dev.ebb.cli.client.ApiException;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Format;
import dev.ebb.spec.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code ebb apply -f FILE}: creates or replaces the service the file describes and waits for its revision. */
@Command(name = "apply", description = {
        "Create or replace a service from an Ebb or Knative (serving.knative.dev/v1 Service) document, YAML or JSON, "
                + "and wait until the revision it made is ready.",
        "Exit codes: 0 ready, 2 invalid input, 3 rejected (401, 403, 409, 412, 429), 4 the revision failed, 5 timed out, "
                + "1 anything else."})
public final class ApplyCommand extends ApiCommand {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The document; - reads standard input")
    String file;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait for the revision to be ready or to fail (default); --no-wait returns once Ebb stored the change")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long to wait, such as 90s or 10m (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--change-cause", paramLabel = "TEXT", description = "Why, kept with the revision and in the audit trail")
    String changeCause;

    @Mixin
    OutputOptions output;

    @Override
    protected void run() {
        boolean stdin = "-".equals(file);
        Manifest manifest = Manifest.parse(read(stdin), stdin ? "standard input" : file);
        String namespace = manifest.namespaceWith(connectionOptions.namespaceFlag(), namespace());
        long deadline = System.nanoTime() + timeout.toNanos();
        // With -o json or yaml, standard output carries only the document; the story goes to standard error.
        PrintWriter story = output.format() == Format.TABLE ? out() : err();

        HttpResponse<byte[]> response = write(namespace, manifest);
        response.headers().allValues("Warning").forEach(warning -> err().println("warning: " + warningText(warning)));
        story.println("service " + namespace + "/" + manifest.name() + (response.statusCode() == 201 ? " created" : " configured"));
        JsonNode written = EbbClient.json(response);
        if (!wait) {
            printDocument(written);
            return;
        }
        RevisionWaiter waiter = new RevisionWaiter(client());
        String revision = waiter.latestCreated(namespace, manifest.name(), written, deadline, timeout);
        story.println("waiting for revision " + revision + " to be ready (timeout " + Durations.format(timeout) + ")");
        story.flush();
        RevisionProgress outcome;
        try (Progress progress = Progress.on(story, Terminals.stdoutIsTerminal() && output.format() == Format.TABLE)) {
            outcome = waiter.await(namespace, manifest.name(), revision, deadline, timeout, progress);
        }
        if (outcome.state() == RevisionProgress.State.FAILED) {
            throw new CliFailure(ExitCode.REVISION_FAILED, "revision " + revision + " failed: " + outcome.describe());
        }
        JsonNode service = client().get(EbbClient.servicePath(namespace, manifest.name()));
        String url = service.path("status").path("url").asString("");
        story.println("revision " + revision + " is ready" + (url.isEmpty() ? "" : "; the service is at " + url));
        story.flush();
        printDocument(service);
    }

    private void printDocument(JsonNode document) {
        if (output.format() != Format.TABLE) {
            print(output.format(), document, unused -> "");
        }
    }

    /** PUT creates or replaces; an Ebb whose PUT only replaces answers 404 for a new service, which POST then creates. */
    private HttpResponse<byte[]> write(String namespace, Manifest manifest) {
        Map<String, String> headers = new HashMap<>();
        if (changeCause != null) {
            headers.put("Ebb-Change-Cause", changeCause);
        }
        try {
            return client().send("PUT", EbbClient.servicePath(namespace, manifest.name()), manifest.body(), manifest.contentType(), headers);
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            return client().send("POST", EbbClient.servicePath(namespace, null), manifest.body(), manifest.contentType(), headers);
        }
    }

    private byte[] read(boolean stdin) {
        try {
            return stdin ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCode.INVALID, "There is no file " + file);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.INVALID, "Cannot read " + (stdin ? "standard input" : file) + ": " + e.getMessage(), e);
        }
    }

    /** An RFC 9110 warning, {@code 299 - "text"} with {@code \"} and {@code \\} escaped, as just the text. */
    static String warningText(String header) {
        int quote = header.indexOf('"');
        if (quote < 0 || quote == header.length() - 1 || !header.endsWith("\"")) {
            return header;
        }
        StringBuilder text = new StringBuilder();
        String quoted = header.substring(quote + 1, header.length() - 1);
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                c = quoted.charAt(++i);
            }
            text.append(c);
        }
        return text.toString();
    }
}
