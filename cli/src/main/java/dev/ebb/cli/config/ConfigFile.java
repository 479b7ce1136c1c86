package dev.ebb.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The config file: {@code $EBB_CONFIG}, else {@code $XDG_CONFIG_HOME/ebb/config}, else {@code ~/.config/ebb/config}.
 * It holds tokens, so it is written readable by its owner only (0600, in a 0700 directory), and replaced atomically.
 */
public final class ConfigFile {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final Path path;

    public ConfigFile(Path path) {
        this.path = path;
    }

    /** The file the environment names. */
    public static ConfigFile of(Map<String, String> env) {
        String explicit = env.get("EBB_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return new ConfigFile(Path.of(explicit));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new ConfigFile(base.resolve("ebb").resolve("config"));
    }

    public Path path() {
        return path;
    }

    /** The stored config; an empty one when the file does not exist. */
    public CliConfig load() {
        if (!Files.exists(path)) {
            return CliConfig.empty();
        }
        try {
            CliConfig config = YAML.readValue(path.toFile(), CliConfig.class);
            return config == null ? CliConfig.empty() : config;
        } catch (JacksonException e) {
            throw new CliFailure(ExitCode.INVALID, "The config file " + path + " cannot be read: " + e.getOriginalMessage()
                    + ". Fix it, or remove it and run `ebb login` again", e);
        }
    }

    public void save(CliConfig config) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!Files.exists(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path temporary = posix
                    ? Files.createTempFile(dir, ".config", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".config", ".tmp");
            try {
                YAML.writeValue(temporary.toFile(), config);
                try {
                    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | JacksonException e) {
            throw new CliFailure(ExitCode.ERROR, "Cannot write the config file " + path + ": " + e.getMessage(), e);
        }
    }
}
