package dev.berth.auth.token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One resource scope of the token grammar, {@code TYPE:NAME:ACTION[,ACTION]...}, such as
 * {@code repository:team-a/app:pull,push} or {@code registry:catalog:*}: what a challenge asks for, what the token
 * endpoint is asked for, and (as {@code {"type","name","actions"}}) one entry of a token's {@code access} claim.
 *
 * @param type the resource type, {@code repository} or {@code registry}; a resource class such as
 *     {@code repository(plugin)} is dropped, as the spec deprecates it
 * @param name the resource name; it may hold one {@code :} (a host's port), so the type is what precedes the
 *     first colon and the actions what follows the last one
 * @param actions the actions, in the order given, without duplicates; may be empty
 */
public record ResourceScope(String type, String name, List<String> actions) {
    private static final Pattern TYPE = Pattern.compile("([a-z0-9]+)(?:\\([a-z0-9]+\\))?");
    private static final Pattern ACTION = Pattern.compile("[a-z]*|\\*");

    public ResourceScope {
        actions = List.copyOf(new LinkedHashSet<>(actions));
    }

    /** The scope of the catalog: {@code registry:catalog:*}. */
    public static final ResourceScope CATALOG = new ResourceScope("registry", "catalog", List.of("*"));

    /**
     * The scopes in {@code text}, separated by spaces (a POST form puts several in one value).
     *
     * @throws IllegalArgumentException naming the first scope that is not {@code TYPE:NAME:ACTIONS}
     */
    public static List<ResourceScope> parseList(String text) {
        List<ResourceScope> scopes = new ArrayList<>();
        for (String one : text.trim().split(" +")) {
            if (!one.isEmpty()) {
                scopes.add(parse(one));
            }
        }
        return scopes;
    }

    /**
     * One scope.
     *
     * @throws IllegalArgumentException when {@code text} is not {@code TYPE:NAME:ACTIONS}
     */
    public static ResourceScope parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == first + 1) {
            throw new IllegalArgumentException("scope '" + text + "' is not TYPE:NAME:ACTIONS");
        }
        Matcher type = TYPE.matcher(text.substring(0, first));
        if (!type.matches()) {
            throw new IllegalArgumentException("scope '" + text + "': the type must be lower-case letters and digits");
        }
        String name = text.substring(first + 1, last);
        if (name.indexOf(':') != name.lastIndexOf(':')) {
            throw new IllegalArgumentException("scope '" + text + "': a name holds at most one ':' (a port)");
        }
        List<String> actions = new ArrayList<>();
        for (String action : text.substring(last + 1).split(",", -1)) {
            if (!ACTION.matcher(action).matches()) {
                throw new IllegalArgumentException("scope '" + text + "': '" + action + "' is not an action");
            }
            if (!action.isEmpty()) {
                actions.add(action);
            }
        }
        return new ResourceScope(type.group(1), name, actions);
    }

    /** The scope as the grammar writes it: {@code repository:team-a/app:pull,push}. */
    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
