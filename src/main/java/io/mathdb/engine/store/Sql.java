package io.mathdb.engine.store;

import io.mathdb.engine.schema.Column;
import io.mathdb.engine.schema.Names;
import io.mathdb.engine.schema.TableSchema;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * SQL text for a table and its staging tables. Only names checked by {@link Names} reach this text, always quoted;
 * values travel through appenders and bound parameters.
 */
final class Sql {
    private Sql() {
    }

    static String table(TableSchema s) {
        return "main." + Names.quote(s.name());
    }

    static String rowStage(TableSchema s) {
        return "temp.main." + Names.quote("__rows_" + Names.key(s.name()));
    }

    static String keyStage(TableSchema s) {
        return "temp.main." + Names.quote("__keys_" + Names.key(s.name()));
    }

    static String patchStage(TableSchema s) {
        return "temp.main." + Names.quote("__patch_" + Names.key(s.name()));
    }

    /** The table without a key constraint: its key is kept unique by {@link #createKeyIndex}, which can be dropped. */
    static String createTable(TableSchema s) {
        StringJoiner cols = new StringJoiner(", ", "CREATE TABLE " + table(s) + " (", ")");
        for (Column c : s.columns()) {
            cols.add(Names.quote(c.name()) + " " + c.type().duckType() + (c.nullable() ? "" : " NOT NULL"));
        }
        return cols.toString();
    }

    /**
     * The unique index on the key, which DuckDB checks on every append and {@code ON CONFLICT} and {@code INSERT OR
     * REPLACE} need. Index names are per schema: a table's name, folded, makes its index's name unique.
     */
    static String createKeyIndex(TableSchema s) {
        return "CREATE UNIQUE INDEX IF NOT EXISTS " + keyIndexName(s) + " ON " + table(s) + " (" + Names.quote(s.key().name()) + ")";
    }

    static String dropKeyIndex(TableSchema s) {
        return "DROP INDEX IF EXISTS main." + keyIndexName(s);
    }

    private static String keyIndexName(TableSchema s) {
        return Names.quote("__key_" + Names.key(s.name()));
    }

    /** Deletes the rows of the row stage's keys, so that {@link #insertFromStage} replaces them without the index. */
    static String deleteStagedKeys(TableSchema s) {
        String key = Names.quote(s.key().name());
        return "DELETE FROM " + table(s) + " WHERE " + key + " IN (SELECT " + key + " FROM " + rowStage(s) + ")";
    }

    static String createRowStage(TableSchema s) {
        return "CREATE OR REPLACE TEMP TABLE " + Names.quote("__rows_" + Names.key(s.name()))
                + columns(s, i -> Names.quote(s.columns().get(i).name()) + " " + Values.stageType(s.columns().get(i).type()));
    }

    static String createKeyStage(TableSchema s) {
        return "CREATE OR REPLACE TEMP TABLE " + Names.quote("__keys_" + Names.key(s.name())) + " (k "
                + Values.stageType(s.key().type()) + ")";
    }

    /** The patch stage holds every column plus one flag per column saying whether the patch sets it. */
    static String createPatchStage(TableSchema s) {
        int n = s.columns().size();
        StringJoiner cols = new StringJoiner(", ", "CREATE OR REPLACE TEMP TABLE "
                + Names.quote("__patch_" + Names.key(s.name())) + " (", ")");
        for (Column c : s.columns()) {
            cols.add(Names.quote(c.name()) + " " + Values.stageType(c.type()));
        }
        for (int i = 0; i < n; i++) {
            cols.add("__set" + i + " BOOLEAN");
        }
        return cols.toString();
    }

    static String columnList(TableSchema s) {
        StringJoiner j = new StringJoiner(", ");
        for (Column c : s.columns()) {
            j.add(Names.quote(c.name()));
        }
        return j.toString();
    }

    static String insertFromStage(TableSchema s, boolean orReplace) {
        return "INSERT " + (orReplace ? "OR REPLACE " : "") + "INTO " + table(s) + " (" + columnList(s) + ") SELECT "
                + columnList(s) + " FROM " + rowStage(s);
    }

    /**
     * Upserts the row stage into the table: rows whose key exists are updated in place, the others inserted. The key
     * is found through the key index, so unlike {@link #replaceFromStage} this needs no scan to learn which
     * keys exist. The stage must hold each key once: DuckDB lets the first of two equal keys win without an error.
     */
    static String upsertFromStage(TableSchema s) {
        String set = setOtherColumns(s, "excluded.");
        return "INSERT INTO " + table(s) + " (" + columnList(s) + ") SELECT " + columnList(s) + " FROM " + rowStage(s)
                + " ON CONFLICT (" + Names.quote(s.key().name()) + ") DO "
                + (set.isEmpty() ? "NOTHING" : "UPDATE SET " + set);
    }

    static String replaceFromStage(TableSchema s) {
        String set = setOtherColumns(s, "s.");
        String key = Names.quote(s.key().name());
        if (set.isEmpty()) {
            return null; // a table of only its key: replacing a row changes nothing
        }
        return "UPDATE " + table(s) + " AS t SET " + set + " FROM " + rowStage(s) + " AS s WHERE t." + key + " = s." + key;
    }

    /** {@code a = <from>a, b = <from>b} for every column but the key; empty for a table of only its key. */
    private static String setOtherColumns(TableSchema s, String from) {
        StringJoiner set = new StringJoiner(", ");
        for (Column c : s.columns()) {
            if (!c.primaryKey()) {
                set.add(Names.quote(c.name()) + " = " + from + Names.quote(c.name()));
            }
        }
        return set.toString();
    }

    static String patchFromStage(TableSchema s) {
        StringJoiner set = new StringJoiner(", ");
        for (int i = 0; i < s.columns().size(); i++) {
            Column c = s.columns().get(i);
            if (!c.primaryKey()) {
                String q = Names.quote(c.name());
                set.add(q + " = CASE WHEN s.__set" + i + " THEN s." + q + " ELSE t." + q + " END");
            }
        }
        String key = Names.quote(s.key().name());
        if (set.length() == 0) {
            return null;
        }
        return "UPDATE " + table(s) + " AS t SET " + set + " FROM " + patchStage(s) + " AS s WHERE t." + key + " = s." + key;
    }

    static String deleteByKeyStage(TableSchema s) {
        return "DELETE FROM " + table(s) + " WHERE " + Names.quote(s.key().name()) + " IN (SELECT k FROM "
                + keyStage(s) + ")";
    }

    static String existingKeys(TableSchema s) {
        String key = Names.quote(s.key().name());
        return "SELECT t." + key + " FROM " + table(s) + " AS t JOIN " + keyStage(s) + " AS k ON t." + key + " = k.k";
    }

    /** Keys of the row stage that exist in the table. */
    static String existingFromStage(TableSchema s) {
        String key = Names.quote(s.key().name());
        return "SELECT s." + key + " FROM " + rowStage(s) + " AS s JOIN " + table(s) + " AS t ON t." + key + " = s." + key;
    }

    /**
     * Sizes of the key lists written into SQL as bound parameters; a list is padded with its last key up to the
     * next size, so a handful of prepared statements serve every list. Each padded key costs DuckDB ~10-20 µs, so
     * the steps are about 1.5x rather than 2x (33 keys query 48, not 64). Longer lists go through a staging table.
     */
    static final int[] KEY_LIST_SIZES = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256};

    /** The padded size for {@code n} keys, or -1 if {@code n} is too many for a parameter list. */
    static int keyListSize(int n) {
        for (int size : KEY_LIST_SIZES) {
            if (size >= n) {
                return size;
            }
        }
        return -1;
    }

    /** {@code <qualifier><key> IN (?, ...)} with {@code n} parameters. */
    static String keyIn(TableSchema s, String qualifier, int n) {
        StringJoiner params = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < n; i++) {
            params.add("?");
        }
        return qualifier + Names.quote(s.key().name()) + " IN " + params;
    }

    static String existingByKeyList(TableSchema s, int n) {
        return "SELECT " + Names.quote(s.key().name()) + " FROM " + table(s) + " WHERE " + keyIn(s, "", n);
    }

    static String deleteByKeyList(TableSchema s, int n) {
        return "DELETE FROM " + table(s) + " WHERE " + keyIn(s, "", n);
    }

    /** {@code SELECT <columns> FROM <table> WHERE <key> IN (?, ...)} with {@code n} parameters. */
    static String selectByKeys(TableSchema s, int n) {
        StringJoiner params = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < n; i++) {
            params.add("?");
        }
        return "SELECT " + columnList(s) + " FROM " + table(s) + " WHERE " + Names.quote(s.key().name()) + " IN "
                + params;
    }

    private static String columns(TableSchema s, IntFunction<String> column) {
        StringJoiner j = new StringJoiner(", ", " (", ")");
        for (int i = 0; i < s.columns().size(); i++) {
            j.add(column.apply(i));
        }
        return j.toString();
    }
}
