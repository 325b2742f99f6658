/**
 * Builds Berth's container image and pushes it to a registry (Berth itself, typically): a Java runtime made from the
 * local JDK with jlink, the C library and loader that {@code ldd} finds for it, and the fat jar, assembled by Jib.
 *
 * <p>It lives with the tests, not in {@code berth.jar}, because Jib is a test-scoped dependency: the registry does not
 * ship an image builder and the libraries Jib brings (Guava, Google's HTTP and auth clients, Apache HttpClient 4).
 * {@code scripts/build-image} compiles it and runs {@link dev.berth.packaging.BuildImageCommand} on the test
 * classpath; {@code dev.berth.e2e.BerthImageIT} runs the same command and then the image. See
 * {@code docs/packaging.md}.
 */
package dev.berth.packaging;
