package dev.berth.cli;

import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.Setting;
import dev.berth.config.TracedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command shares to find its configuration: {@code --config FILE} and {@code --storage DIR}. */
final class ConfigOptions {
    // No picocli defaults: a default here would count as a flag and override the environment and the file.
    @Option(names = "--storage", paramLabel = "DIR",
            description = "store objects under DIR with the filesystem driver (default: ./data)")
    private String storage;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
    private Path config;

    /** The configuration from these options and {@code more} flags, then the environment, file and defaults. */
    BerthConfig load(Map<String, String> env, List<Setting> more) throws ConfigException {
        return ConfigLoader.load(config, env, flagSettings(more));
    }

    /** As {@link #load}, keeping where each value came from. */
    TracedConfig loadTraced(Map<String, String> env, List<Setting> more) throws ConfigException {
        return ConfigLoader.loadTraced(config, env, flagSettings(more));
    }

    /** What the options say, as settings; {@code --storage DIR} is shorthand for two keys. */
    List<Setting> flagSettings(List<Setting> more) {
        List<Setting> flags = new ArrayList<>(more);
        if (storage != null) {
            flags.add(new Setting("storage.driver", "filesystem", "option --storage"));
            flags.add(new Setting("storage.filesystem.root", storage, "option --storage"));
        }
        return flags;
    }
}
