package dev.berth.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeModulesTest {
    private static final List<String> FOUND = List.of("java.base", "java.desktop", "java.sql", "java.net.http");

    @Test
    void desktopModuleIsLeftOutAndTheEllipticCurveProviderAddedWhenTheJdkHasIt() {
        RuntimeModules modules = RuntimeModules.select(FOUND,
                Set.of("java.base", "java.desktop", "java.sql", "java.net.http", "jdk.crypto.ec"));

        assertThat(modules.names()).containsExactly("java.base", "java.net.http", "java.sql", "jdk.crypto.ec");
    }

    @Test
    void providerTheJdkLacksIsNotAsked() {
        RuntimeModules modules = RuntimeModules.select(FOUND, Set.of("java.base", "java.sql", "java.net.http"));

        assertThat(modules.names()).containsExactly("java.base", "java.net.http", "java.sql");
    }

    @Test
    void jdepsModuleListIsItsLastLine() throws IOException {
        String printed = "Warning: split package: javax.annotation\njava.base,java.logging,jdk.net\n";

        assertThat(RuntimeModules.parseJdeps(printed)).containsExactly("java.base", "java.logging", "jdk.net");
    }

    @Test
    void jdepsOutputWithoutAModuleListIsAnError() {
        assertThatThrownBy(() -> RuntimeModules.parseJdeps("Error: target/berth.jar is not a jar\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a jar");
    }
}
