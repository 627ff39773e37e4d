package bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A database of the PostgreSQL at 127.0.0.1:5432, reached directly as user postgres: the raw side. */
record Postgres(String url) {
    static final Postgres ADMIN = new Postgres("jdbc:postgresql://127.0.0.1:5432/postgres");

    static Postgres named(String database) {
        return new Postgres("jdbc:postgresql://127.0.0.1:5432/" + database);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** The first column of the first row, 0 for no row. */
    long count(String query) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    void execute(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
