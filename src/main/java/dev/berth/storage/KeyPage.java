package dev.berth.storage;

import java.util.List;

/**
 * One page of keys from {@link ObjectStore#listKeys}.
 *
 * @param keys the keys, in key order
 * @param nextStartAfter where the next page starts (the last key here), or null when this is the last page
 */
public record KeyPage(List<String> keys, String nextStartAfter) {
    public KeyPage {
        keys = List.copyOf(keys);
    }
}
