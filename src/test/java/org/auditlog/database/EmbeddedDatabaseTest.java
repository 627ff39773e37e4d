package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** With no database URL the service runs real PostgreSQL binaries whose data survives a restart. */
class EmbeddedDatabaseTest {
    @Test
    void keepsDataAcrossRestartsAndLetsASecondProcessJoin() throws Exception {
        Path dataDir = Files.createTempDirectory("embedded-pg");
        try (EmbeddedDatabase first = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            execute(first.jdbcUrl(), "create table kept (v text); insert into kept values ('survives')");
            try (EmbeddedDatabase joined = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
                assertThat(joined.jdbcUrl()).isEqualTo(first.jdbcUrl());
                assertThat(query(joined.jdbcUrl(), "select v from kept")).isEqualTo("survives");
            }
            assertThat(query(first.jdbcUrl(), "select version()")).startsWith("PostgreSQL");
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            assertThat(query(again.jdbcUrl(), "select v from kept")).isEqualTo("survives");
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
