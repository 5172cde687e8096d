package io.trustplane.gate.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Work a caller adds to a repository's transaction, given what the transaction changed: the services write the
 * change's events to the outbox with it, so they commit or roll back with the change.
 */
@FunctionalInterface
public interface InTransaction<T> {

    Uni<Void> apply(SqlClient conn, T changed);
}
