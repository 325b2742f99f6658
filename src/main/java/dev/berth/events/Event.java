package dev.berth.events;

import java.time.Instant;
import java.util.Optional;

/**
 * One registry event, as Distribution's notifications describe it.
 *
 * @param id a unique id, which a receiver may use to spot an event delivered twice
 * @param timestamp when the action completed
 * @param action what happened
 * @param target what it happened to
 * @param request the request that did it
 * @param actor the user name of the caller; empty for an anonymous caller
 * @param source the Berth process that generated the event
 */
public record Event(String id, Instant timestamp, EventAction action, EventTarget target, RequestRecord request,
        Optional<String> actor, SourceRecord source) {}
