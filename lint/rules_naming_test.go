package lint

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/config"
)

func TestLintNamingConvention(t *testing.T) {
	custom, err := ParseNaming(map[string]string{
		"index":       "_idx$",
		"foreign_key": "^fk_",
		"table":       "^[a-z_]+$",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dialect, sql string
		naming             map[string]*regexp.Regexp
		want               string // "" when RT808 must not fire, else a part of the message
	}{
		{"quoted camel case table", Postgres, `CREATE TABLE "OrderLine" (id bigint PRIMARY KEY);`, nil, "table OrderLine does not match"},
		{"unquoted camel case folds", Postgres, "CREATE TABLE OrderLine (id bigint PRIMARY KEY);", nil, ""},
		{"mysql keeps case", MySQL, "CREATE TABLE OrderLine (id bigint PRIMARY KEY);", nil, "table OrderLine"},
		{"column and table listed", Postgres, `CREATE TABLE "Order" ("orderId" bigint NOT NULL);`, nil, `table Order, column orderId do not match the naming convention (table: ^[a-z][a-z0-9_]*$; column: ^[a-z][a-z0-9_]*$)`},
		{"added column", MySQL, "ALTER TABLE orders ADD COLUMN `Total` int NOT NULL DEFAULT 0;", nil, "column Total"},
		{"renamed column", SQLite, `ALTER TABLE orders RENAME COLUMN total TO "Total";`, nil, "column Total"},
		{"renamed table", Postgres, `ALTER TABLE orders RENAME TO "Orders";`, nil, "table Orders"},
		{"mysql rename table", MySQL, "RENAME TABLE orders TO `Orders`;", nil, "table Orders"},
		{"schema", Postgres, `CREATE SCHEMA "Billing";`, nil, "schema Billing"},
		{"index pattern", Postgres, "CREATE INDEX orders_customer ON orders (customer_id);", custom, "index orders_customer does not match the naming convention (index: _idx$)"},
		{"index pattern met", Postgres, "CREATE INDEX orders_customer_idx ON orders (customer_id);", custom, ""},
		{"mysql inline index", MySQL, "CREATE TABLE orders (id bigint PRIMARY KEY, c int NOT NULL, KEY orders_c (c));", custom, "index orders_c"},
		{"foreign key pattern", Postgres, "ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;", custom, "foreign key orders_customer_fkey"},
		{"foreign key pattern met", Postgres, "ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;", custom, ""},
		{"unnamed constraint", Postgres, "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;", custom, ""},
		{"check default convention", Postgres, `ALTER TABLE orders ADD CONSTRAINT "Positive" CHECK (total > 0) NOT VALID;`, custom, "check Positive"},
		{"existing object only altered", Postgres, `ALTER TABLE "LegacyOrders" ALTER COLUMN "Total" SET DEFAULT 0;`, nil, ""},
		{"temporary table", Postgres, `CREATE TEMP TABLE "Scratch" (a int NULL);`, nil, ""},
		{"table pattern overrides default", Postgres, "CREATE TABLE order_line2 (id bigint PRIMARY KEY);", custom, "table order_line2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Settings{Severity: map[string]Severity{"RT808": Warning}, Naming: tc.naming}
			var msg string
			for _, f := range lintText(t, tc.dialect, tc.sql, s) {
				if f.Code == "RT808" {
					msg = f.Message
				}
			}
			switch {
			case tc.want == "" && msg != "":
				t.Errorf("RT808 fired: %s", msg)
			case tc.want != "" && !strings.Contains(msg, tc.want):
				t.Errorf("RT808 message %q, want it to contain %q", msg, tc.want)
			}
		})
	}
	// Off by default.
	if got := lintText(t, Postgres, `CREATE TABLE "OrderLine" (id bigint PRIMARY KEY);`, Settings{}); has(got, "RT808") {
		t.Errorf("RT808 fired by default: %v", codes(got))
	}
}

func TestParseNaming(t *testing.T) {
	for _, tc := range []struct {
		in   map[string]string
		want string // error
	}{
		{map[string]string{"table": "^[a-z]+$", "check": "^ck_"}, ""},
		{map[string]string{"table": "^[a-z+$"}, `[lint.naming] table = "^[a-z+$" is not a regular expression: error parsing regexp: missing closing ]: ` + "`[a-z+$`"},
		{map[string]string{"view": "^v_"}, "[lint.naming] view is no kind of name: use schema, table, column, index, primary_key, foreign_key, unique, check"},
	} {
		_, err := ParseNaming(tc.in)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("ParseNaming(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNamingKindsMatchConfig: retort.toml's [lint.naming] keys (checked
// by internal/config, which cannot import lint) are lint's kinds.
func TestNamingKindsMatchConfig(t *testing.T) {
	if !slices.Equal(NamingKinds(), config.NamingKinds()) {
		t.Errorf("lint.NamingKinds %v, config.NamingKinds %v", NamingKinds(), config.NamingKinds())
	}
}
