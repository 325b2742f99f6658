package dev.berth.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What one measured run does, repeated by every client connection; named as {@code --only} takes them. */
public enum Scenario {
    PUSH_MONOLITHIC("push-monolithic", true, "POST, then PUT with the whole blob; each push new content"),
    PUSH_CHUNKED("push-chunked", true, "POST, PATCHes of --chunk-size, then PUT ?digest="),
    PULL("pull", true, "GET of a blob of the size"),
    MANIFEST_GET_TAG("manifest-get-tag", false, "GET of an image manifest by tag"),
    MANIFEST_HEAD_TAG("manifest-head-tag", false, "HEAD of an image manifest by tag"),
    MANIFEST_GET_DIGEST("manifest-get-digest", false, "GET of an image manifest by digest"),
    MANIFEST_HEAD_DIGEST("manifest-head-digest", false, "HEAD of an image manifest by digest"),
    TAG_LIST("tag-list", false, "the whole tag list of a repository of --tags tags, following Link pages"),
    CATALOG("catalog", false, "the whole catalog with --repositories repositories, following Link pages");

    private final String id;
    private final boolean sized;
    private final String description;

    Scenario(String id, boolean sized, String description) {
        this.id = id;
        this.sized = sized;
        this.description = description;
    }

    /** The name on the command line and in the JSON. */
    public String id() {
        return id;
    }

    /** True when the scenario runs once per blob size of {@code --sizes}. */
    public boolean sized() {
        return sized;
    }

    /** One line for the help text. */
    public String description() {
        return description;
    }

    /** True for the manifest reads, which need the image fixture. */
    public boolean readsManifest() {
        return name().startsWith("MANIFEST_");
    }

    /** The scenario named {@code id}; throws IllegalArgumentException listing the names otherwise. */
    public static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + id + "'; known: "
                + Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", ")));
    }
}
