package dev.ebb.database;

/** This build of Ebb carries no embedded PostgreSQL (the container images), and no external one is configured. */
class NoEmbeddedDatabaseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    NoEmbeddedDatabaseException() {
        super("This build of Ebb has no embedded PostgreSQL: set EBB_DATABASE_URL (with EBB_DATABASE_USERNAME and "
                + "EBB_DATABASE_PASSWORD) to your PostgreSQL server, e.g. jdbc:postgresql://db:5432/ebb");
    }
}
