package dev.berth.storage;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param entries the objects, in ascending byte order of key
 * @param nextStartAfter the key to pass as {@code startAfter} for the next page, or null when the listing is done
 */
public record ListPage(List<ObjectInfo> entries, String nextStartAfter) {
    public ListPage {
        entries = List.copyOf(entries);
    }
}
