package dev.berth.cli;

import dev.berth.config.BerthConfig;
import dev.berth.registry.Namespace;
import dev.berth.registry.Namespaces;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** {@code --namespace NAME}: the lifecycle commands' choice of namespaces, all of them unless one is named. */
final class NamespaceOption {
    @Option(names = "--namespace", paramLabel = "NAME",
            description = "only this namespace (default, or one of the configuration's namespaces);"
                    + " default: every namespace")
    private String namespace;

    /**
     * The namespaces to work on: the named one, or the default namespace and every configured one.
     *
     * @throws IllegalArgumentException when the configuration has no namespace of that name
     */
    List<Namespace> select(BerthConfig config) {
        Namespaces namespaces = Namespaces.of(config.namespaces());
        if (namespace == null) {
            return namespaces.all();
        }
        return List.of(namespaces.byId(namespace).orElseThrow(() -> new IllegalArgumentException(
                "--namespace: no namespace '" + namespace + "' in the configuration (it has "
                        + namespaces.all().stream().map(Namespace::id).collect(Collectors.joining(", ")) + ")")));
    }
}
