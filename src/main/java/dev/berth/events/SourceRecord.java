package dev.berth.events;

/**
 * The Berth process that generated an event, as Distribution's {@code SourceRecord} describes it.
 *
 * @param addr this host's name and the port Berth listens on
 * @param instanceId a random id of this process, new at each start
 */
public record SourceRecord(String addr, String instanceId) {}
