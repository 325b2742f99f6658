package dev.berth.events;

import dev.berth.config.BerthConfig.NotificationEndpoint;
import dev.berth.registry.RepositoryGlob;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which events an endpoint is sent: those of the repositories its globs match and of its actions (everything when
 * it names none), minus the media types and actions it ignores, as Distribution's {@code ignore} section says.
 */
public final class EventFilter {
    private final List<RepositoryGlob> repositories;
    private final Set<EventAction> actions;
    private final Set<String> ignoredMediaTypes;
    private final Set<EventAction> ignoredActions;

    private EventFilter(List<RepositoryGlob> repositories, Set<EventAction> actions, Set<String> ignoredMediaTypes,
            Set<EventAction> ignoredActions) {
        this.repositories = repositories;
        this.actions = actions;
        this.ignoredMediaTypes = ignoredMediaTypes;
        this.ignoredActions = ignoredActions;
    }

    /** The filter an endpoint's configuration describes. */
    public static EventFilter of(NotificationEndpoint endpoint) {
        return new EventFilter(endpoint.repositories().stream().map(RepositoryGlob::new).toList(),
                actions(endpoint.actions()), Set.copyOf(endpoint.ignoredMediaTypes()),
                actions(endpoint.ignoredActions()));
    }

    private static Set<EventAction> actions(List<String> names) {
        Set<EventAction> set = EnumSet.noneOf(EventAction.class);
        names.forEach(name -> set.add(EventAction.byWireName(name)));
        return set;
    }

    /** Whether {@code event} goes to the endpoint. */
    public boolean accepts(Event event) {
        if (!actions.isEmpty() && !actions.contains(event.action())) {
            return false;
        }
        if (ignoredActions.contains(event.action())) {
            return false;
        }
        String mediaType = event.target().mediaType();
        if (mediaType != null && ignoredMediaTypes.contains(mediaType)) {
            return false;
        }
        if (repositories.isEmpty()) {
            return true;
        }
        String repository = event.target().repository();
        return repositories.stream().anyMatch(glob -> glob.matches(repository));
    }
}
