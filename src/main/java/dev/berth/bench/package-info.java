/**
 * The benchmark harness: {@code berth bench}, a load generator for any OCI registry URL; {@code berth
 * bench-baseline}, a bare Jetty handler serving one manifest from memory as the ceiling to compare with; and
 * {@code berth bench-compare}, which turns the rounds of {@code scripts/bench-vs-distribution} into ratios.
 * It uses the registry only over HTTP, never its classes, so it measures Berth and other registries alike.
 */
package dev.berth.bench;
