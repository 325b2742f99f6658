package dev.berth.cli;

import dev.berth.config.BerthConfig;

/** Runs Berth with a finished configuration until it stops; tests substitute one that records the configuration. */
@FunctionalInterface
interface ServerRunner {
    /** Runs until stopped and returns the exit code. */
    int run(BerthConfig config) throws Exception;
}
