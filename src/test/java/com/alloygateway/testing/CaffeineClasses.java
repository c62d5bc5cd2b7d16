package com.alloygateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

import io.quarkus.caffeine.runtime.graal.CacheConstructorsFeature;

/**
 * The classes Caffeine chose for a cache and its entries, which it looks up by name at run time: in a native image
 * only those Quarkus registers exist ({@code CacheConstructorsFeature}), so a cache built with another combination
 * of features fails there on its first entry.
 */
public final class CaffeineClasses {

    private CaffeineClasses() {
    }

    /**
     * The cache's class and its entries' class, for a cache holding at least one entry: synchronous, asynchronous,
     * or the synchronous view of an asynchronous one.
     */
    public static List<String> of(Object cache) throws Exception {
        Object target = cache.getClass().getName().endsWith("$CacheView") ? field(cache, "asyncCache") : cache;
        Object local = field(target, "cache");
        Object node = ((ConcurrentMap<?, ?>) field(local, "data")).values().iterator().next();
        return List.of(local.getClass().getName(), node.getClass().getName());
    }

    /** Fails unless the native image has the cache's classes (without the statistics variants). */
    public static void assertRegistered(Object cache) throws Exception {
        Set<String> registered = new HashSet<>(Arrays.asList(CacheConstructorsFeature.typesNeedingConstructorsRegistered()));
        assertThat(registered).as("Caffeine classes the native image has").containsAll(of(cache));
    }

    public static Object field(Object target, String name) throws Exception {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException next) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name + " in " + target.getClass());
    }
}
