package com.alloygateway.catalog.planted;

import com.alloygateway.execution.ExecutionService;

/** A catalog class that leans on execution: the back-import {@code ArchitectureTest} must catch. Test-only. */
public final class PlantedBackImport {

    private PlantedBackImport() {
    }

    public static Class<?> upstairs() {
        return ExecutionService.class;
    }
}
