package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Inspector = (*Dialect)(nil)

// Inspect implements dialect.Inspector: it reads the tables of schema
// opts.Schema ("" is current_schema(), the search_path's first) from
// pg_catalog with five queries, however many tables there are: tables,
// columns, constraints, indexes and enum types.
//
// Types are reported as format_type spells them in Type.Native
// ("character varying(255)", "timestamp with time zone", "text[]"), with
// the neutral kind they map to; an array, or a type no kind covers, is
// Raw with that text (TypeExt.ArrayDims counts an array's dimensions). A
// column of an enum type is an Enum with its values; a collation other
// than its type's is TypeExt.Collation. Defaults are an Expr of the text
// pg_get_expr gives ('x'::character varying, 0, now()), identity columns
// (BY DEFAULT and ALWAYS alike) AutoIncrement without default. Check
// expressions, index expressions and predicates are the server's
// deparsed text, outer parentheses removed. A foreign key's NO ACTION,
// which PostgreSQL stores for an unspecified action too, is reported as
// the unspecified action "". Indexes are those that back no constraint,
// with Method set when it is not btree. Schema.Enums are the schema's
// enum types. Table and column comments are read.
//
// Partitions are not read as tables (their partitioned table is); a
// partitioned table has Table.Partitioning: its key as
// pg_get_partkeydef spells it and the names of its direct partitions. A
// CHECK or foreign key added NOT VALID and not validated since has
// NotValid set. What the model
// cannot hold (a virtual generated column, an exclusion constraint, an index with
// NULLS FIRST/LAST against its direction) is an error wrapping dialect.ErrUnsupported that names
// the table: leave it out with InspectOptions.Exclude.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	nsp, ok, err := schemaOf(ctx, q, opts)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	if !ok {
		return &schema.Schema{}, nil
	}
	fail := func(what string, err error) (*schema.Schema, error) {
		return nil, fmt.Errorf("inspect %s in PostgreSQL schema %s: %w", what, nsp, err)
	}
	s := &schema.Schema{Name: opts.Schema}
	byName := map[string]*schema.Table{}

	err = each(ctx, q, inspectTables, []any{nsp}, func(rows *sql.Rows) error {
		var name string
		var comment, partKey, parts sql.NullString
		if err := rows.Scan(&name, &comment, &partKey, &parts); err != nil {
			return err
		}
		if !opts.Includes(name) {
			return nil
		}
		t := &schema.Table{Schema: opts.Schema, Name: name, Comment: comment.String}
		if partKey.Valid {
			t.Partitioning = &schema.Partitioning{Key: partKey.String}
			if parts.Valid {
				if err := json.Unmarshal([]byte(parts.String), &t.Partitioning.Partitions); err != nil {
					return err
				}
			}
		}
		s.Tables = append(s.Tables, t)
		byName[name] = t
		return nil
	})
	if err != nil {
		return fail("tables", err)
	}

	enums := map[[2]string][]string{}
	err = each(ctx, q, inspectEnums, nil, func(rows *sql.Rows) error {
		var tnsp, name, vals string
		if err := rows.Scan(&tnsp, &name, &vals); err != nil {
			return err
		}
		var values []string
		if err := json.Unmarshal([]byte(vals), &values); err != nil {
			return err
		}
		enums[[2]string{tnsp, name}] = values
		if tnsp == nsp {
			s.Enums = append(s.Enums, schema.EnumType{Schema: opts.Schema, Name: name, Values: values})
		}
		return nil
	})
	if err != nil {
		return fail("enum types", err)
	}
	if len(s.Tables) == 0 {
		return s, nil
	}

	err = each(ctx, q, inspectColumns, []any{nsp}, func(rows *sql.Rows) error {
		var tname, cname, typ, typtype, typnsp, typname, identity, generated string
		var notnull bool
		var def, comment, coll sql.NullString
		if err := rows.Scan(&tname, &cname, &typ, &notnull, &def, &identity, &generated, &comment, &typtype, &typnsp, &typname, &coll); err != nil {
			return err
		}
		t, ok := byName[tname]
		if !ok {
			return nil
		}
		c := schema.Column{Name: cname, Null: !notnull, Comment: comment.String, AutoIncrement: identity != ""}
		if generated != "" {
			if generated != "s" {
				return unsupported(tname, "column %s is generated (%q), which the schema model does not hold", cname, generated)
			}
			c.Generated = &schema.Generated{Expr: stripParens(def.String), Stored: true}
			def = sql.NullString{}
		}
		if typtype == "e" {
			c.Type = schema.Enum(typname, enums[[2]string{typnsp, typname}]...)
			c.Type.EnumSchema = opts.Schema
			if typnsp != nsp {
				c.Type.EnumSchema = typnsp
			}
		} else {
			c.Type = typeFromPG(typ)
		}
		c.Type.Native = typ
		c.Type.Ext.Collation = coll.String
		if def.Valid && !c.AutoIncrement {
			c.Def = schema.Expr(def.String)
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
	if err != nil {
		return fail("columns", err)
	}

	err = each(ctx, q, inspectConstraints, []any{nsp}, func(rows *sql.Rows) error {
		var tname, name, typ, cols string
		var refnsp, reftable, refcols, del, upd, expr sql.NullString
		var deferrable, deferred, covering, validated bool
		if err := rows.Scan(&tname, &name, &typ, &cols, &refnsp, &reftable, &refcols, &del, &upd, &expr, &deferrable, &deferred, &covering, &validated); err != nil {
			return err
		}
		t, ok := byName[tname]
		if !ok {
			return nil
		}
		var columns []string
		if err := json.Unmarshal([]byte(cols), &columns); err != nil {
			return err
		}
		if covering {
			return unsupported(tname, "constraint %s has INCLUDE columns, which the schema model holds for indexes only", name)
		}
		if deferrable && typ != "f" {
			return unsupported(tname, "constraint %s is deferrable, which the schema model holds for foreign keys only", name)
		}
		switch typ {
		case "p":
			t.PK = &schema.PrimaryKey{Name: name, Columns: columns}
		case "u":
			t.Uniques = append(t.Uniques, schema.Unique{Name: name, Columns: columns})
		case "f":
			fk := schema.ForeignKey{Name: name, Columns: columns, RefTable: reftable.String,
				OnDelete: fkAction(del.String), OnUpdate: fkAction(upd.String), NotValid: !validated}
			switch {
			case deferred:
				fk.Deferral = schema.DeferrableDeferred
			case deferrable:
				fk.Deferral = schema.DeferrableImmediate
			}
			if refnsp.String != nsp {
				fk.RefSchema = refnsp.String
			} else {
				fk.RefSchema = opts.Schema
			}
			if err := json.Unmarshal([]byte(refcols.String), &fk.RefColumns); err != nil {
				return err
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		case "c":
			t.Checks = append(t.Checks, schema.Check{Name: name, Expr: stripParens(expr.String), NotValid: !validated})
		default:
			return unsupported(tname, "constraint %s is of a kind (%s) the schema model does not hold", name, typ)
		}
		return nil
	})
	if err != nil {
		return fail("constraints", err)
	}

	err = each(ctx, q, inspectIndexes, []any{nsp}, func(rows *sql.Rows) error {
		var tname, name, method, parts string
		var unique bool
		var nkey, natts int
		var where, include sql.NullString
		if err := rows.Scan(&tname, &name, &unique, &method, &nkey, &natts, &where, &parts, &include); err != nil {
			return err
		}
		t, ok := byName[tname]
		if !ok {
			return nil
		}
		var ps []struct {
			Column string `json:"c"`
			Def    string `json:"d"`
			Desc   bool   `json:"desc"`
			Nulls  bool   `json:"nf"`
		}
		if err := json.Unmarshal([]byte(parts), &ps); err != nil {
			return err
		}
		idx := schema.Index{Name: name, Unique: unique, Where: stripParens(where.String)}
		if natts != nkey && include.Valid {
			if err := json.Unmarshal([]byte(include.String), &idx.Include); err != nil {
				return err
			}
		}
		if method != "btree" {
			idx.Method = method
		}
		for _, p := range ps {
			if p.Nulls != p.Desc {
				return unsupported(tname, "index %s orders NULLs against its direction (NULLS FIRST/LAST), which the schema model does not hold", name)
			}
			if p.Column != "" {
				idx.Parts = append(idx.Parts, schema.IndexPart{Column: p.Column, Desc: p.Desc})
			} else {
				idx.Parts = append(idx.Parts, schema.IndexPart{Expr: stripParens(p.Def), Desc: p.Desc})
			}
		}
		t.Indexes = append(t.Indexes, idx)
		return nil
	})
	if err != nil {
		return fail("indexes", err)
	}
	return s, nil
}

// schemaOf is the schema opts select: opts.Schema, else the current one
// (search_path's first that exists); ok is false when there is none.
func schemaOf(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (nsp string, ok bool, err error) {
	if opts.Schema != "" {
		return opts.Schema, true, nil
	}
	var cur sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT pg_catalog.current_schema()").Scan(&cur); err != nil {
		return "", false, fmt.Errorf("read the current schema: %w", err)
	}
	return cur.String, cur.Valid, nil
}

// each runs query and calls f for each row.
func each(ctx context.Context, q dialect.Querier, query string, args []any, f func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// unsupportedError is a table the schema model cannot hold.
type unsupportedError struct{ table, msg string }

func (e *unsupportedError) Error() string {
	return "table " + e.table + ": " + e.msg
}

func (e *unsupportedError) Is(target error) bool { return target == dialect.ErrUnsupported }

func unsupported(table, format string, args ...any) error {
	return &unsupportedError{table: table, msg: fmt.Sprintf(format, args...)}
}

func fkAction(c string) schema.Action {
	switch c {
	case "r":
		return schema.Restrict
	case "c":
		return schema.Cascade
	case "n":
		return schema.SetNull
	case "d":
		return schema.SetDefault
	}
	return "" // "a", NO ACTION: also what an unspecified action is stored as
}

// stripParens removes the parentheses around the whole of s, as many as
// there are, and trims it.
func stripParens(s string) string {
	s = strings.TrimSpace(s)
	for len(s) > 1 && s[0] == '(' && closing(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// closing returns the index of the parenthesis closing the one that opens
// s, skipping quoted text, or -1.
func closing(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'', '"':
			q := s[i]
			for i++; i < len(s); i++ {
				if s[i] == q {
					if i+1 < len(s) && s[i+1] == q {
						i++
						continue
					}
					break
				}
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

const inspectTables = `SELECT c.relname, pg_catalog.obj_description(c.oid, 'pg_class'),
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
       (SELECT pg_catalog.json_agg(p.relname::text ORDER BY p.relname) FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid
          WHERE i.inhparent = c.oid AND p.relispartition)::text
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`

const inspectEnums = `SELECT n.nspname, t.typname, pg_catalog.json_agg(e.enumlabel ORDER BY e.enumsortorder)::text
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
GROUP BY n.nspname, t.typname
ORDER BY t.typname`

const inspectColumns = `SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
       pg_catalog.col_description(a.attrelid, a.attnum), t.typtype::text, tn.nspname, t.typname,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`

const inspectConstraints = `SELECT r.relname, con.conname, con.contype::text,
       (SELECT pg_catalog.json_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n)::text,
       fn.nspname, f.relname,
       (SELECT pg_catalog.json_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n)::text,
       NULLIF(con.confdeltype, ' ')::text, NULLIF(con.confupdtype, ' ')::text,
       pg_catalog.pg_get_expr(con.conbin, con.conrelid), con.condeferrable, con.condeferred,
       COALESCE((SELECT ix.indnatts <> ix.indnkeyatts FROM pg_catalog.pg_index ix WHERE ix.indexrelid = con.conindid AND con.contype IN ('p', 'u')), false),
       con.convalidated
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class r ON r.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_class f ON f.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
WHERE n.nspname = $1 AND r.relkind IN ('r', 'p') AND NOT r.relispartition AND con.contype <> 'n'
ORDER BY r.relname, con.conname`

const inspectIndexes = `SELECT t.relname, i.relname, ix.indisunique, am.amname, ix.indnkeyatts, ix.indnatts,
       pg_catalog.pg_get_expr(ix.indpred, ix.indrelid),
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                 'c', (SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1]),
                 'd', pg_catalog.pg_get_indexdef(ix.indexrelid, k, true),
                 'desc', (ix.indoption[k - 1] & 1) = 1,
                 'nf', (ix.indoption[k - 1] & 2) = 2) ORDER BY k)
          FROM pg_catalog.generate_series(1, ix.indnkeyatts) k)::text,
       (SELECT pg_catalog.json_agg(a.attname ORDER BY k)
          FROM pg_catalog.generate_series(ix.indnkeyatts + 1, ix.indnatts) k
          JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1])::text
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = i.relam
WHERE n.nspname = $1 AND t.relkind IN ('r', 'p') AND NOT t.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.relname`
