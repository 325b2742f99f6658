package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.observe.MeteredStore;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stores that wrap another must pass every call on, the interface's default methods included: a decorator
 * that inherits {@link ObjectStore#version} or {@link ObjectStore#listKeys} silently turns the backend's fast
 * path into the slow default (as once happened to manifest reads behind the metrics decorator).
 */
class StoreDecoratorsTest {
    private static final List<Class<?>> DECORATORS = List.of(CheckedStore.class, MeteredStore.class);
    private static final List<Class<?>> BACKENDS =
            List.of(FilesystemStore.class, MemoryStore.class, S3Store.class, SwiftStore.class);

    @Test
    void everyDecoratorPassesOnEveryDefaultMethodThatABackendImplementsItself() throws Exception {
        List<Method> specialised = Arrays.stream(ObjectStore.class.getMethods()).filter(Method::isDefault)
                .filter(StoreDecoratorsTest::someBackendDeclares).toList();
        assertThat(specialised).extracting(Method::getName).contains("version", "listKeys");
        for (Class<?> decorator : DECORATORS) {
            for (Method method : specialised) {
                Method implementation = decorator.getMethod(method.getName(), method.getParameterTypes());
                assertThat(implementation.getDeclaringClass()).as("%s.%s", decorator.getSimpleName(), method.getName())
                        .isEqualTo(decorator);
            }
        }
    }

    private static boolean someBackendDeclares(Method method) {
        return BACKENDS.stream().anyMatch(backend -> {
            try {
                return backend.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass() == backend;
            } catch (NoSuchMethodException e) {
                return false;
            }
        });
    }
}
