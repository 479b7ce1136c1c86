package dev.ebb.database;

import java.io.IOException;

/** A PostgreSQL running inside Ebb; a type of its own so that code that only needs its URL never loads the server's classes. */
interface EmbeddedDatabase extends AutoCloseable {

    String jdbcUrl();

    /** The role the application connects as: rows only, no ownership, no superuser. */
    Login applicationCredentials();

    /** The superuser that owns the schema and runs the migrations. */
    Login ownerCredentials();

    /** A role and its password. */
    record Login(String username, String password) {

        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    @Override
    void close() throws IOException;
}
