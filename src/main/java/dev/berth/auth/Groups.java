package dev.berth.auth;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The configured groups, looked up by member: turns a user name into a {@link Principal}. */
public final class Groups {
    private final Map<String, Set<String>> groupsByUser = new HashMap<>();

    /** From the configuration's map of group name to user names. */
    public Groups(Map<String, List<String>> members) {
        members.forEach((group, users) -> users.forEach(
                user -> groupsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(group)));
    }

    /** The principal for {@code user}, with the groups the configuration puts it in. */
    public Principal principal(String user) {
        return new Principal(user, groupsByUser.getOrDefault(user, Set.of()));
    }

    /** The caller without credentials; a group may name {@code anonymous} too. */
    public Principal anonymous() {
        return principal(Principal.ANONYMOUS_NAME);
    }
}
