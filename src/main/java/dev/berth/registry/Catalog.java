package dev.berth.registry;

import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PreconditionFailedException;
import dev.berth.storage.PutCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The list of repositories of a namespace, kept as one marker object per repository. */
public final class Catalog {
    private static final byte[] EMPTY = new byte[0];
    private final ObjectStore store;

    public Catalog(ObjectStore store) {
        this.store = store;
    }

    /** Lists the repository in the catalog, once; later calls cost one stat. */
    public void register(Namespace ns, RepositoryName repo) {
        String key = StorageLayout.catalogEntry(ns, repo);
        if (store.stat(key).isEmpty()) {
            try {
                store.put(key, EMPTY, PutCondition.ifAbsent());
            } catch (PreconditionFailedException alreadyListed) {
                // another request listed it first: the outcome is the same
            }
        }
    }

    /** True when the repository has ever received content. */
    public boolean exists(Namespace ns, RepositoryName repo) {
        return store.stat(StorageLayout.catalogEntry(ns, repo)).isPresent();
    }

    /** Up to {@code limit} repository names after {@code last} (null: from the start), in ASCII byte order. */
    public Page page(Namespace ns, String last, int limit) {
        return page(ns, last, limit, repo -> true);
    }

    /**
     * As {@link #page(Namespace, String, int)}, counting only the names {@code visible} accepts, so that a caller
     * who may see few repositories still gets full pages.
     */
    public Page page(Namespace ns, String last, int limit, Predicate<RepositoryName> visible) {
        List<String> names = names(ns);
        // Marker keys do not sort like the names they hold ('-' sorts before '/'), so sort the names themselves.
        names.sort(null);
        List<String> page = new ArrayList<>();
        boolean more = false;
        for (String name : names) {
            if (last != null && name.compareTo(last) <= 0 || !visible.test(new RepositoryName(name))) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(name);
        }
        return new Page(page, more);
    }

    /**
     * Up to {@code limit} repositories of several namespaces, as one site shows them: each view's repositories under
     * its prefix, merged in ASCII byte order of those client names, after {@code last} (null: from the start), and
     * only those {@code include} accepts.
     */
    public Page page(List<NamespaceView> views, String last, int limit, Predicate<RepositoryAddress> include) {
        List<Listed> listed = new ArrayList<>();
        for (NamespaceView view : views) {
            for (String name : names(view.namespace())) {
                RepositoryAddress address = view.address(new RepositoryName(name));
                listed.add(new Listed(address.toString(), address));
            }
        }
        listed.sort(Comparator.comparing(Listed::clientName));
        List<String> page = new ArrayList<>();
        boolean more = false;
        for (Listed entry : listed) {
            String name = entry.clientName();
            if (last != null && name.compareTo(last) <= 0 || !include.test(entry.address())) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(name);
        }
        return new Page(page, more);
    }

    /** A repository of a merged listing, with the name its site shows. */
    private record Listed(String clientName, RepositoryAddress address) {}

    /** Every name the namespace's catalog lists, unsorted. */
    private List<String> names(Namespace ns) {
        String prefix = StorageLayout.catalogPrefix(ns);
        String suffix = "/_repository";
        List<String> names = new ArrayList<>();
        for (ObjectInfo info : store.listAll(prefix, 1000)) {
            String key = info.key();
            if (key.endsWith(suffix)) {
                names.add(key.substring(prefix.length(), key.length() - suffix.length()));
            }
        }
        return names;
    }

    /** One page of names, and whether more follow. */
    public record Page(List<String> names, boolean more) {}
}
