package bench.springpg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The subset of MathDB's HTTP API that the benchmark uses, with the same URL shapes: {@code POST /tables},
 * {@code POST /tables/{t}/rows} (an object or an array; {@code ?on_conflict=update}; {@code ?durability=sync}),
 * {@code GET /tables/{t}/rows/{key}}. Single rows are one autocommit statement; arrays are one transaction of a
 * JDBC batch that the driver rewrites into multi-row INSERTs.
 */
@RestController
class RowsController {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    record Col(String name, String type, boolean primaryKey) { }

    record Schema(String name, List<Col> cols, Col key, String insertSql, String upsertSql, String getSql) { }

    static class ApiException extends RuntimeException {
        final HttpStatus status;
        final String code;

        ApiException(HttpStatus status, String code, String detail) {
            super(detail);
            this.status = status;
            this.code = code;
        }
    }

    private final Map<String, Schema> tables = new ConcurrentHashMap<>();
    private final JdbcTemplate async;
    private final JdbcTemplate sync;
    private final TransactionTemplate asyncTx;
    private final TransactionTemplate syncTx;

    RowsController(DataSource asyncDataSource, @Qualifier("syncDataSource") DataSource syncDataSource) {
        this.async = new JdbcTemplate(asyncDataSource);
        this.sync = new JdbcTemplate(syncDataSource);
        this.asyncTx = new TransactionTemplate(new DataSourceTransactionManager(asyncDataSource));
        this.syncTx = new TransactionTemplate(new DataSourceTransactionManager(syncDataSource));
    }

    @PostMapping("/tables")
    ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> body) {
        String name = name(body.get("name"));
        List<Col> cols = new ArrayList<>();
        Object columns = body.get("columns");
        if (!(columns instanceof List<?> list) || list.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", "columns must be a non-empty array");
        }
        for (Object o : list) {
            Map<?, ?> c = (Map<?, ?>) o;
            cols.add(new Col(name(c.get("name")), sqlType(String.valueOf(c.get("type"))),
                    Boolean.TRUE.equals(c.get("primaryKey"))));
        }
        Col key = cols.stream().filter(Col::primaryKey).findFirst()
                .orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", "no primary key"));
        String ddl = "CREATE TABLE " + name + " ("
                + cols.stream().map(c -> c.name() + " " + c.type() + (c.primaryKey() ? " PRIMARY KEY" : ""))
                .collect(Collectors.joining(", ")) + ")";
        try {
            async.execute(ddl);
        } catch (org.springframework.dao.DataAccessException e) {
            throw new ApiException(HttpStatus.CONFLICT, "table_exists", e.getMostSpecificCause().getMessage());
        }
        tables.put(name.toLowerCase(), schema(name, cols, key));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("name", name));
    }

    @PostMapping("/tables/{table}/rows")
    ResponseEntity<Map<String, Object>> insert(@PathVariable String table, @RequestBody Object body,
                                               @RequestParam(name = "on_conflict", required = false) String onConflict,
                                               @RequestParam(required = false) String durability) {
        Schema s = schema(table);
        boolean upsert = "update".equals(onConflict);
        boolean isSync = "sync".equals(durability);
        String sql = upsert ? s.upsertSql() : s.insertSql();
        JdbcTemplate jdbc = isSync ? sync : async;
        int n;
        if (body instanceof Map<?, ?> row) {
            n = jdbc.update(sql, values(s, row));
        } else if (body instanceof List<?> rows) {
            List<Object[]> args = new ArrayList<>(rows.size());
            for (Object r : rows) {
                args.add(values(s, (Map<?, ?>) r));
            }
            (isSync ? syncTx : asyncTx).executeWithoutResult(st -> jdbc.batchUpdate(sql, args));
            n = args.size();
        } else {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", "body must be an object or an array");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("rows", n));
    }

    @GetMapping("/tables/{table}/rows/{key}")
    Map<String, Object> get(@PathVariable String table, @PathVariable String key) {
        Schema s = schema(table);
        Object k = s.key().type().matches("smallint|integer|bigint") ? (Object) Long.parseLong(key) : key;
        List<Map<String, Object>> rows = async.query(s.getSql(), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < s.cols().size(); c++) {
                m.put(s.cols().get(c).name(), rs.getObject(c + 1));
            }
            return m;
        }, k);
        if (rows.isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "no_such_row", "no row with key " + key);
        }
        return rows.get(0);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e) {
        return ResponseEntity.status(e.status).body(Map.of("code", e.code, "detail", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<Map<String, Object>> duplicate(DuplicateKeyException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("code", "duplicate_key"));
    }

    private Schema schema(String table) {
        Schema s = tables.get(table.toLowerCase());
        if (s == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "no_such_table", "no table " + table);
        }
        return s;
    }

    private static Object[] values(Schema s, Map<?, ?> row) {
        Object[] v = new Object[s.cols().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.get(s.cols().get(i).name());
        }
        return v;
    }

    private static Schema schema(String name, List<Col> cols, Col key) {
        String names = cols.stream().map(Col::name).collect(Collectors.joining(", "));
        String marks = cols.stream().map(c -> "?").collect(Collectors.joining(", "));
        String insert = "INSERT INTO " + name + " (" + names + ") VALUES (" + marks + ")";
        String sets = cols.stream().filter(c -> !c.primaryKey()).map(c -> c.name() + " = EXCLUDED." + c.name())
                .collect(Collectors.joining(", "));
        String upsert = insert + " ON CONFLICT (" + key.name() + ") DO "
                + (sets.isEmpty() ? "NOTHING" : "UPDATE SET " + sets);
        String get = "SELECT " + names + " FROM " + name + " WHERE " + key.name() + " = ?";
        return new Schema(name, List.copyOf(cols), key, insert, upsert, get);
    }

    private static String name(Object o) {
        String s = String.valueOf(o);
        if (!NAME.matcher(s).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", "bad name " + s);
        }
        return s;
    }

    private static String sqlType(String polars) {
        return switch (polars) {
            case "Int8", "Int16", "UInt8" -> "smallint";
            case "Int32", "UInt16" -> "integer";
            case "Int64", "UInt32" -> "bigint";
            case "Float32" -> "real";
            case "Float64" -> "double precision";
            case "Boolean" -> "boolean";
            case "Date" -> "date";
            case "Datetime" -> "timestamp";
            default -> "text";
        };
    }
}
