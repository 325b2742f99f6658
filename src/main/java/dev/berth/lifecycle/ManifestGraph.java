package dev.berth.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.Descriptor;
import dev.berth.registry.ManifestValidator;
import dev.berth.registry.Namespace;
import dev.berth.registry.ParsedManifest;
import dev.berth.registry.RegistryException;
import dev.berth.registry.StorageLayout;
import dev.berth.registry.digest.Digest;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the manifests of one repository refer to each other: index children, subjects, and so referrers. A
 * manifest is in use when a tag reaches it through these, not only when a tag names it: the platform manifests of
 * a multi-arch image and the signatures of a tagged image are untagged, yet removing them breaks the image.
 */
final class ManifestGraph {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One manifest as far as reachability needs it.
     *
     * @param mediaType the type its revision link records
     * @param size its size in bytes; 0 when its bytes are missing
     * @param children the manifests an index lists
     * @param subject the manifest it refers to, or null
     */
    record Node(String mediaType, long size, List<Digest> children, Digest subject) {}

    private final Map<Digest, Node> nodes;
    private final Map<Digest, List<Digest>> referrers;

    private ManifestGraph(Map<Digest, Node> nodes) {
        this.nodes = Map.copyOf(nodes);
        Map<Digest, List<Digest>> bySubject = new HashMap<>();
        nodes.forEach((digest, node) -> {
            if (node.subject() != null) {
                bySubject.computeIfAbsent(node.subject(), s -> new ArrayList<>()).add(digest);
            }
        });
        this.referrers = bySubject;
    }

    /** Reads every manifest revision of {@code contents}. A manifest that cannot be read or parsed refers to none. */
    static ManifestGraph read(ObjectStore store, Namespace ns, RepositoryContents contents) {
        ManifestValidator validator = new ManifestValidator();
        Map<Digest, Node> nodes = new HashMap<>();
        for (RepositoryContents.RevisionEntry revision : contents.revisions()) {
            nodes.put(revision.digest(), node(store, ns, validator, revision));
        }
        return new ManifestGraph(nodes);
    }

    /** The manifest's node, if it is a revision of the repository. */
    Optional<Node> node(Digest digest) {
        return Optional.ofNullable(nodes.get(digest));
    }

    /** Every manifest reachable from {@code roots} through index children, subjects and referrers, roots included. */
    Set<Digest> reachableFrom(Collection<Digest> roots) {
        Set<Digest> reached = new HashSet<>();
        Deque<Digest> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            Digest digest = pending.pop();
            if (!reached.add(digest)) {
                continue;
            }
            Node node = nodes.get(digest);
            if (node != null) {
                pending.addAll(node.children());
                if (node.subject() != null) {
                    pending.add(node.subject());
                }
            }
            pending.addAll(referrers.getOrDefault(digest, List.of()));
        }
        return reached;
    }

    private static Node node(ObjectStore store, Namespace ns, ManifestValidator validator,
            RepositoryContents.RevisionEntry revision) {
        String mediaType = "";
        try {
            mediaType = JSON.readTree(store.read(revision.key())).path("mediaType").asText("");
            byte[] body = store.read(StorageLayout.blobData(ns, revision.digest()));
            ParsedManifest manifest = validator.validate(body, mediaType);
            return new Node(mediaType, body.length,
                    manifest.manifests().stream().map(Descriptor::digest).toList(),
                    manifest.subject() == null ? null : manifest.subject().digest());
        } catch (ObjectNotFoundException | RegistryException | IOException unreadable) {
            // Gone or not a manifest: it cannot keep anything else alive, and is itself judged like any other.
            return new Node(mediaType, 0, List.of(), null);
        }
    }
}
