package dev.ebb.database;

import java.io.IOException;

/** A PostgreSQL running inside Ebb; a type of its own so that code that only needs its URL never loads the server's classes. */
interface EmbeddedDatabase extends AutoCloseable {

    String jdbcUrl();

    @Override
    void close() throws IOException;
}
