package dev.berth;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.Setting;
import dev.berth.storage.ObjectStore;
import java.util.List;
import java.util.Map;

/** Opens the store that Berth would open for some configuration settings, so a test can inspect or empty it. */
public final class ConfiguredStores {
    private ConfiguredStores() {}

    /** The backend (with its shared checks) that {@code settings} (dotted keys, e.g. {@code storage.driver}) name. */
    public static ObjectStore open(Map<String, String> settings) throws ConfigException {
        List<Setting> flags = settings.entrySet().stream()
                .map(entry -> new Setting(entry.getKey(), entry.getValue(), "test setting " + entry.getKey()))
                .toList();
        return BerthServer.openStore(ConfigLoader.load(null, Map.of(), flags));
    }
}
