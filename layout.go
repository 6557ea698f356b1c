package retort

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/retortdb/retort/dialect"
)

// addedColumn is a column added to the history table after its first
// layout, with its type as ALTER TABLE ... ADD COLUMN takes it on every
// dialect.
type addedColumn struct{ name, def string }

// historyAdditions lists the columns added to the history table since its
// first layout (id ... stmt_index, as dialect.HistoryColumns begins), in
// the order they were added: layout N+1 is layout N with the N-th entry.
// Which of them a table has is its layout version, read from its column
// list once per run (no marker row to keep in step). Tables of an earlier
// layout are brought up to date by ensureTables, under the migration lock.
// To change the layout, append an entry and add the column to every
// dialect's CreateHistoryTable and to dialect.HistoryColumns.
func historyAdditions() []addedColumn {
	return []addedColumn{
		{"tag", "VARCHAR(255) NULL"}, // layout 2: upgrade --tag
	}
}

// maxTagLen is the longest tag, in characters: the column is VARCHAR(255).
const maxTagLen = 255

// WithTag records tag in the history row of every step the Project runs
// (Alembic's upgrade --tag), for example a release or ticket number. It
// returns an error for a tag longer than 255 characters, one that is not
// UTF-8, or one with control characters; "" records none.
func WithTag(tag string) Option {
	return func(m *Project) error {
		if err := CheckTag(tag); err != nil {
			return err
		}
		m.tag = tag
		return nil
	}
}

// CheckTag returns the reason tag cannot be recorded, or nil.
func CheckTag(tag string) error {
	switch {
	case !utf8.ValidString(tag):
		return fmt.Errorf("tag %q is not valid UTF-8", tag)
	case utf8.RuneCountInString(tag) > maxTagLen:
		return fmt.Errorf("tag is %d characters long; the history table holds at most %d", utf8.RuneCountInString(tag), maxTagLen)
	case strings.IndexFunc(tag, unicode.IsControl) >= 0:
		return fmt.Errorf("tag %q has a control character (a newline, a tab, ...)", tag)
	}
	return nil
}

// historyColumns returns the names of the history table's columns, lower
// case, from the dialect's catalog.
func (m *Project) historyColumns(ctx context.Context, q dialect.Querier) (map[string]bool, error) {
	cols, err := m.d.Columns(ctx, q, m.historyTable)
	if err != nil {
		return nil, fmt.Errorf("read the columns of history table %s: %w", m.historyTable, err)
	}
	out := make(map[string]bool, len(cols))
	for _, c := range cols {
		out[strings.ToLower(c)] = true
	}
	return out, nil
}

// upgradeHistory adds the columns of later layouts that the history table
// lacks. It runs in ensureTables' transaction, under the migration lock,
// so that concurrent runners add each column once.
func (m *Project) upgradeHistory(ctx context.Context, q dialect.Querier) error {
	have, err := m.historyColumns(ctx, q)
	if err != nil {
		return err
	}
	for _, c := range historyAdditions() {
		if have[c.name] {
			continue
		}
		ddl := m.addColumnDDL(c)
		m.log.Info(fmt.Sprintf("Upgrading history table %s: adding column %s", m.historyTable, c.name))
		if _, err := q.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("upgrade history table %s to this retort's layout: %w (a user allowed to alter it can run: %s)", m.historyTable, err, ddl)
		}
	}
	return nil
}

func (m *Project) addColumnDDL(c addedColumn) string {
	return dialect.NewBuilder(m.d).P("ALTER TABLE ").Table(m.historyTable).P(" ADD COLUMN ").Ident(c.name).P(" " + c.def).String()
}

// writeTagColumn opens an offline script that names the tag column: the
// history table may be of the first layout, even in a script that starts
// from base, since a database downgraded to base keeps its tables. Where
// the dialect can add the column only if it is missing, the script does;
// elsewhere it says what to run first on such a table.
func (m *Project) writeTagColumn(out *offlineSink) {
	for _, c := range historyAdditions() {
		if c.name != "tag" {
			continue
		}
		if ca := m.caps.ColumnAdder; ca != nil {
			out.write(ca.AddColumnIfMissing(m.historyTable, c.name, c.def) + ";")
			continue
		}
		out.comment(fmt.Sprintf("The history rows of this script record the tag in column %s of %s,\n"+
			"which a history table made by an earlier retort lacks. On such a table run this\n"+
			"first (any online retort command that writes does it too):\n  %s;", c.name, m.historyTable, m.addColumnDDL(c)))
	}
}
