package com.alloygateway.testing;

import java.io.File;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL of {@code ./run-local.sh} and {@code bench/run.sh}: embedded, on a fixed local port, its data
 * kept between runs under a base folder ({@code target/dev-stack} unless given). Runs until killed.
 * Arguments: [port] [base folder].
 */
public final class DevPostgres {

    private DevPostgres() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "15432");
        File base = new File(args.length > 1 ? args[1] : "target/dev-stack");
        File data = new File(base, "postgres");
        data.mkdirs();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setOverrideWorkingDirectory(new File(base, "postgres-work"))
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start()) {
            System.out.println("PostgreSQL ready on port " + pg.getPort());
            Thread.currentThread().join();
        }
    }
}
