package sqlast

import "strings"

// Type is a column's data type.
type Type struct {
	// Name is the type's name in lower case without its arguments, words
	// separated by one space: "varchar", "character varying",
	// "timestamp with time zone", "double precision", "public.mood".
	Name string
	// Args are the arguments in parentheses, as written ("255"; "10",
	// "2"), and for MySQL ENUM and SET the values without quotes.
	Args     []string
	Array    bool // PostgreSQL int[] or int ARRAY
	Unsigned bool // MySQL UNSIGNED
	Text     string
	Pos      Pos
}

// Volatility classifies an expression by the functions it calls: when a
// PostgreSQL default is volatile, adding the column rewrites the table.
type Volatility uint8

// The volatilities, from least to most.
const (
	Constant Volatility = iota // literals and casts of literals
	Stable                     // now(), CURRENT_TIMESTAMP, current_user: one value per statement
	Unknown                    // calls a function not in the tables (user-defined, or other built-ins)
	Volatile                   // random(), gen_random_uuid(), clock_timestamp(), nextval(), uuid(), ...
)

var volNames = [...]string{"constant", "stable", "unknown", "volatile"}

func (v Volatility) String() string {
	if int(v) < len(volNames) {
		return volNames[v]
	}
	return "?"
}

// Expr is an expression: a DEFAULT, a CHECK, a generated column's
// expression, a USING clause.
type Expr struct {
	Text string
	// Paren is true when the whole expression is in parentheses, as in
	// MySQL's DEFAULT (expr) expression defaults.
	Paren      bool
	Volatility Volatility
	Funcs      []string // functions called, lower case, in order (keyword functions such as current_timestamp included)
	Pos        Pos
}

// Reference is the target of a foreign key.
type Reference struct {
	Table    Name
	Columns  []string
	OnDelete string // upper case: "CASCADE", "SET NULL", ...
	OnUpdate string
}

// ConstraintKind is the kind of a table constraint.
type ConstraintKind uint8

// The constraint kinds.
const (
	PrimaryKey ConstraintKind = iota + 1
	Unique
	ForeignKey
	Check
	Exclude
	NotNullConstraint // PostgreSQL 18 CONSTRAINT n NOT NULL col [NOT VALID]
)

var conNames = [...]string{"", "PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK", "EXCLUDE", "NOT NULL"}

func (k ConstraintKind) String() string {
	if int(k) < len(conNames) {
		return conNames[k]
	}
	return "?"
}

// Constraint is a table constraint (CREATE TABLE element or ALTER TABLE
// ADD CONSTRAINT).
type Constraint struct {
	Kind        ConstraintKind
	Name        string // "" when not named
	Columns     []string
	Ref         *Reference // FOREIGN KEY
	Expr        *Expr      // CHECK expression; EXCLUDE element list
	NotValid    bool       // PostgreSQL NOT VALID
	UsingIndex  string     // PostgreSQL PRIMARY KEY / UNIQUE USING INDEX name
	Enforced    bool       // MySQL ENFORCED written
	NotEnforced bool       // MySQL NOT ENFORCED
	Deferrable  bool
	Pos         Pos
}

// Generated is a generated column's definition.
type Generated struct {
	Expr    *Expr
	Stored  bool // STORED or PERSISTENT
	Virtual bool // VIRTUAL written
}

// Column is a column definition (CREATE TABLE, ADD COLUMN, MODIFY,
// CHANGE).
type Column struct {
	Name string
	Pos  Pos
	Type *Type // nil when the definition has no type (SQLite allows it)

	NotNull bool // NOT NULL written (PRIMARY KEY alone does not set it)
	Null    bool // NULL written explicitly
	Default *Expr

	PrimaryKey bool
	Unique     bool
	References *Reference
	Checks     []*Expr
	Generated  *Generated
	// Identity is GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY; the value is
	// "ALWAYS" or "BY DEFAULT".
	Identity      string
	Serial        bool // PostgreSQL serial types, MySQL SERIAL
	AutoIncrement bool // MySQL AUTO_INCREMENT, SQLite AUTOINCREMENT
	OnUpdate      *Expr
	Collate       string
	Charset       string
	Comment       string

	First bool   // MySQL FIRST
	After string // MySQL AFTER column
}

// ServerFilled reports whether the server gives existing rows a value
// when the column is added: a DEFAULT, an identity, a serial type,
// AUTO_INCREMENT or a generated expression.
func (c *Column) ServerFilled() bool {
	return c.Default != nil || c.Identity != "" || c.Serial || c.AutoIncrement || c.Generated != nil
}

// CreateTableParts are the parts of CREATE TABLE.
type CreateTableParts struct {
	Columns     []*Column
	Constraints []*Constraint // table constraints (inline column constraints stay on Column)
	Indexes     []*Index      // MySQL INDEX/KEY/FULLTEXT/SPATIAL elements
	AsSelect    bool          // CREATE TABLE ... AS SELECT
	Like        Name          // CREATE TABLE t (LIKE s) / MySQL CREATE TABLE t LIKE s
	PartitionOf Name          // PostgreSQL PARTITION OF parent
	PartitionBy string        // the PARTITION BY clause's text after BY
	// PartitionBound is the bound of PARTITION OF: "FOR VALUES ..." or
	// "DEFAULT".
	PartitionBound string
	Options        []Option // MySQL table options (ENGINE=...), PostgreSQL WITH (...), SQLite STRICT / WITHOUT ROWID
}

// Column returns the column named name (compared as the dialect folds
// names: exactly for the stored Name), or nil.
func (c *CreateTableParts) Column(name string) *Column {
	for _, col := range c.Columns {
		if col.Name == name {
			return col
		}
	}
	return nil
}

// sub returns a parser over the tokens [from, to) of p.
func (p *parser) sub(from, to int) *parser {
	if to > len(p.toks) {
		to = len(p.toks)
	}
	if from > to {
		from = to
	}
	q := &parser{st: p.st, toks: p.toks[from:to], d: p.d, after: p.after}
	if to < len(p.toks) {
		q.after = &p.toks[to]
	}
	return q
}

// adopt keeps the first error of a sub-parser.
func (p *parser) adopt(q *parser) {
	if p.err == nil {
		p.err = q.err
	}
}

// splitTop returns the ranges of tokens [from, to) separated by commas at
// depth.
func (p *parser) splitTop(from, to, depth int) [][2]int {
	var out [][2]int
	start := from
	for i := from; i < to; i++ {
		if p.toks[i].Depth == depth && p.toks[i].IsPunct(",") {
			out = append(out, [2]int{start, i})
			start = i + 1
		}
	}
	out = append(out, [2]int{start, to})
	return out
}

func (p *parser) createTable() {
	st := p.st
	ct := &CreateTableParts{}
	st.CreateTable = ct
	if p.err != nil {
		return
	}
	switch {
	case p.accept("LIKE"):
		ct.Like = p.needName("table")
		return
	case p.accept("PARTITION", "OF"):
		ct.PartitionOf = p.needName("table")
	case p.accept("OF"):
		p.name()
	}
	if p.cur().IsPunct("(") {
		// CREATE TABLE t (SELECT ...) is MySQL's CREATE ... SELECT.
		if p.peek(1).Is("SELECT") {
			ct.AsSelect = true
			return
		}
		d := p.cur().Depth
		from, to := p.skipGroup()
		if from == to {
			// CREATE TABLE t () is valid on PostgreSQL.
			if p.d != PostgreSQL {
				p.fail("a table needs at least one column")
			}
		} else {
			for _, r := range p.splitTop(from, to, d+1) {
				p.tableElement(ct, r[0], r[1])
			}
		}
	} else if ct.PartitionOf.IsZero() && !p.is("AS") && !p.is("SELECT") {
		p.fail("expected ( and the column definitions" + p.found())
		return
	}
	// Options after the element list.
	for !p.eof() && p.err == nil {
		switch {
		case p.is("AS") || p.is("SELECT") || p.is("IGNORE") || p.is("REPLACE") && p.peek(1).Is("SELECT"):
			ct.AsSelect = true
			return
		case p.accept("PARTITION", "BY"):
			from := p.i
			for !p.eof() {
				p.i++
			}
			ct.PartitionBy = p.span(from, p.i)
		case p.accept("WITH", "SYSTEM", "VERSIONING"):
			ct.Options = append(ct.Options, Option{Name: "WITH SYSTEM VERSIONING"})
		case p.accept("WITH"):
			if p.cur().IsPunct("(") {
				ct.Options = append(ct.Options, p.params()...)
			} else {
				p.i++
			}
		case !ct.PartitionOf.IsZero() && (p.is("FOR") && p.peek(1).Is("VALUES") || p.is("DEFAULT")):
			from := p.i
			for !p.eof() && !(p.cur().Depth == 0 && (p.is("PARTITION") || p.is("WITH") || p.is("TABLESPACE") || p.is("USING"))) {
				p.i++
			}
			ct.PartitionBound = p.span(from, p.i)
		case p.accept("WITHOUT", "ROWID"):
			ct.Options = append(ct.Options, Option{Name: "WITHOUT ROWID"})
		case p.accept("STRICT"):
			ct.Options = append(ct.Options, Option{Name: "STRICT"})
		case p.cur().IsPunct(","):
			p.i++
		case p.cur().Kind == Word:
			o, ok := p.tableOption()
			if ok {
				ct.Options = append(ct.Options, o)
			} else {
				p.i++
			}
		default:
			p.i++
		}
	}
}

// tableOption reads a MySQL table option: [DEFAULT] NAME [=] value, or
// PostgreSQL TABLESPACE x / INHERITS (...) / ON COMMIT ... / USING method.
func (p *parser) tableOption() (Option, bool) {
	p.accept("DEFAULT")
	t := p.cur()
	if t.Kind != Word {
		return Option{}, false
	}
	name := strings.ToUpper(t.Text)
	p.i++
	switch name {
	case "CHARACTER", "CHAR":
		p.accept("SET")
		name = "CHARACTER SET"
	case "CHARSET":
		name = "CHARACTER SET"
	case "INHERITS":
		if p.cur().IsPunct("(") {
			from, to := p.skipGroup()
			return Option{Name: name, Value: p.span(from, to)}, true
		}
	case "ON":
		if p.accept("COMMIT") {
			from := p.i
			for !p.eof() && p.cur().Kind == Word && !p.is("TABLESPACE") {
				p.i++
			}
			return Option{Name: "ON COMMIT", Value: strings.ToUpper(p.span(from, p.i))}, true
		}
	}
	p.punct("=")
	v := p.cur()
	if p.eof() {
		return Option{Name: name}, true
	}
	p.i++
	val := v.Text
	if v.Kind == String || v.Kind == QuotedIdent {
		val = v.Name
	}
	return Option{Name: name, Value: val}, true
}

// tableElement reads one element of CREATE TABLE's list.
func (p *parser) tableElement(ct *CreateTableParts, from, to int) {
	q := p.sub(from, to)
	defer p.adopt(q)
	if q.eof() {
		p.failAt(from, "empty element in the column list")
		return
	}
	switch {
	case q.is("CONSTRAINT"), q.is("PRIMARY"), q.is("FOREIGN"), q.is("CHECK"), q.is("EXCLUDE"),
		q.is("UNIQUE") && (q.peek(1).IsPunct("(") || q.peek(1).Is("KEY") || q.peek(1).Is("INDEX") || q.peek(1).Kind != Word || q.d.isMySQL()):
		if c := q.constraint(); c != nil {
			ct.Constraints = append(ct.Constraints, c)
		}
		return
	case q.d.isMySQL() && (q.is("INDEX") || q.is("KEY") || q.is("FULLTEXT") || q.is("SPATIAL")):
		ct.Indexes = append(ct.Indexes, q.mysqlIndex())
		return
	case q.is("LIKE") && q.d == PostgreSQL:
		q.i++
		ct.Like = q.needName("table")
		return
	case q.is("PERIOD") && q.peek(1).Is("FOR"):
		return
	}
	if c := q.column(true); c != nil {
		ct.Columns = append(ct.Columns, c)
	}
}

// mysqlIndex reads [UNIQUE|FULLTEXT|SPATIAL] {INDEX|KEY} [name] [USING m]
// (parts) [options].
func (p *parser) mysqlIndex() *Index {
	ix := &Index{}
	for {
		switch {
		case p.accept("UNIQUE"):
			ix.Unique = true
			continue
		case p.accept("FULLTEXT"):
			ix.Fulltext = true
			continue
		case p.accept("SPATIAL"):
			ix.Spatial = true
			continue
		}
		break
	}
	p.acceptAny("INDEX", "KEY")
	if p.accept("IF", "NOT", "EXISTS") {
		ix.IfNotExists = true
	}
	if !p.cur().IsPunct("(") && !p.is("USING") {
		if n, ok := p.name(); ok {
			ix.Name = n
		}
	}
	if p.accept("USING") || p.accept("TYPE") {
		m, _ := p.ident()
		ix.Method = strings.ToLower(m)
	}
	if !p.cur().IsPunct("(") {
		p.fail("expected ( and the indexed columns" + p.found())
		return ix
	}
	ix.Columns, ix.Expressions = p.keyParts()
	for !p.eof() {
		switch {
		case p.accept("USING"):
			m, _ := p.ident()
			ix.Method = strings.ToLower(m)
		case p.is("ALGORITHM"), p.is("LOCK"):
			name := strings.ToUpper(p.cur().Text)
			p.i++
			p.punct("=")
			if !p.eof() {
				ix.Options = append(ix.Options, Option{Name: name, Value: strings.ToUpper(p.cur().Text)})
				p.i++
			}
		default:
			p.i++
		}
	}
	return ix
}

// constraint reads [CONSTRAINT name] PRIMARY KEY | UNIQUE | FOREIGN KEY |
// CHECK | EXCLUDE ..., up to the end of the parser's tokens.
func (p *parser) constraint() *Constraint {
	c := &Constraint{Pos: p.cur().Pos}
	if p.accept("CONSTRAINT") {
		if !p.is("PRIMARY") && !p.is("UNIQUE") && !p.is("FOREIGN") && !p.is("CHECK") && !p.is("EXCLUDE") && !p.isSeq("NOT", "NULL") {
			c.Name, _ = p.ident()
		}
	}
	switch {
	case p.accept("PRIMARY", "KEY"):
		c.Kind = PrimaryKey
	case p.accept("UNIQUE"):
		c.Kind = Unique
		if p.acceptAny("INDEX", "KEY") != "" || p.d.isMySQL() {
			if !p.cur().IsPunct("(") && !p.is("USING") && p.cur().IsIdent() {
				n, _ := p.ident()
				if c.Name == "" {
					c.Name = n
				}
			}
		}
	case p.accept("FOREIGN", "KEY"):
		c.Kind = ForeignKey
		if p.d.isMySQL() && p.cur().IsIdent() {
			n, _ := p.ident()
			if c.Name == "" {
				c.Name = n
			}
		}
	case p.accept("CHECK"):
		c.Kind = Check
	case p.accept("EXCLUDE"):
		c.Kind = Exclude
	case p.accept("NOT", "NULL"):
		c.Kind = NotNullConstraint
		n, ok := p.ident()
		if !ok {
			p.fail("expected a column name after NOT NULL" + p.found())
			return c
		}
		c.Columns = []string{n}
	default:
		p.fail("expected PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK or EXCLUDE" + p.found())
		return nil
	}
	switch c.Kind {
	case PrimaryKey, Unique:
		if p.accept("USING", "INDEX") {
			c.UsingIndex, _ = p.ident()
			if c.UsingIndex == "" {
				p.fail("expected an index name after USING INDEX" + p.found())
			}
			break
		}
		p.accept("NULLS", "NOT", "DISTINCT")
		p.accept("NULLS", "DISTINCT")
		if p.accept("USING") {
			p.ident()
		}
		if !p.cur().IsPunct("(") {
			p.fail("expected ( and the key's columns" + p.found())
			return c
		}
		c.Columns, _ = p.keyParts()
	case ForeignKey:
		if !p.cur().IsPunct("(") {
			p.fail("expected ( and the foreign key's columns" + p.found())
			return c
		}
		c.Columns, _ = p.keyParts()
		if !p.expect("REFERENCES") {
			return c
		}
		c.Ref = p.reference()
	case Check:
		if !p.cur().IsPunct("(") {
			p.fail("expected ( and the check expression" + p.found())
			return c
		}
		c.Expr = p.parenExpr()
	case Exclude:
		if p.accept("USING") {
			p.ident()
		}
		if p.cur().IsPunct("(") {
			c.Expr = p.parenExpr()
		}
	}
	p.constraintTail(c)
	return c
}

// constraintTail reads the attributes after a constraint: NOT VALID,
// [NOT] DEFERRABLE, INITIALLY ..., [NOT] ENFORCED, NO INHERIT, index
// parameters, ON CONFLICT.
func (p *parser) constraintTail(c *Constraint) {
	for !p.eof() {
		switch {
		case p.accept("NOT", "VALID"):
			c.NotValid = true
		case p.accept("NOT", "ENFORCED"):
			c.NotEnforced = true
		case p.accept("ENFORCED"):
			c.Enforced = true
		case p.accept("NOT", "DEFERRABLE"):
		case p.accept("DEFERRABLE"):
			c.Deferrable = true
		case p.accept("INITIALLY"):
			p.i++
		case p.accept("NO", "INHERIT"):
		case p.accept("WHERE"):
			if p.cur().IsPunct("(") {
				p.skipGroup()
			}
		default:
			p.i++
		}
	}
}

// reference reads table [(columns)] [MATCH ...] [ON DELETE a] [ON UPDATE a]
// after REFERENCES; it stops at the first token it does not know.
func (p *parser) reference() *Reference {
	r := &Reference{Table: p.needName("referenced table")}
	if p.cur().IsPunct("(") {
		r.Columns, _ = p.keyParts()
	}
	for !p.eof() {
		switch {
		case p.accept("MATCH"):
			p.i++
		case p.is("ON") && (p.peek(1).Is("DELETE") || p.peek(1).Is("UPDATE")):
			del := p.peek(1).Is("DELETE")
			p.i += 2
			var act string
			switch {
			case p.accept("SET", "NULL"):
				act = "SET NULL"
			case p.accept("SET", "DEFAULT"):
				act = "SET DEFAULT"
			case p.accept("NO", "ACTION"):
				act = "NO ACTION"
			case p.is("CASCADE"), p.is("RESTRICT"):
				act = strings.ToUpper(p.cur().Text)
				p.i++
			default:
				p.fail("expected a referential action" + p.found())
				return r
			}
			// PostgreSQL 15: SET NULL (col, ...).
			if p.cur().IsPunct("(") {
				p.skipGroup()
			}
			if del {
				r.OnDelete = act
			} else {
				r.OnUpdate = act
			}
		default:
			return r
		}
	}
	return r
}

// parenExpr reads a parenthesised expression and returns it without the
// outer parentheses.
func (p *parser) parenExpr() *Expr {
	pos := p.cur().Pos
	from, to := p.skipGroup()
	e := p.exprOf(from, to)
	if e.Pos == (Pos{}) {
		e.Pos = pos
	}
	return e
}

// colStop reports whether the current token starts a column attribute,
// ending a type or an expression.
func (p *parser) colStop() bool {
	t := p.cur()
	if t.Kind != Word {
		return false
	}
	switch strings.ToUpper(t.Text) {
	case "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT",
		"GENERATED", "AS", "COLLATE", "AUTO_INCREMENT", "AUTOINCREMENT", "COMMENT", "KEY",
		"FIRST", "AFTER", "CHARSET", "INVISIBLE", "VISIBLE", "STORAGE", "COLUMN_FORMAT",
		"COMPRESSION", "ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE", "SRID", "USING":
		return true
	case "ON":
		return p.peek(1).Is("UPDATE") || p.peek(1).Is("CONFLICT")
	case "CHARACTER":
		return p.peek(1).Is("SET")
	case "WITH":
		return !p.peek(1).Is("TIME")
	}
	return false
}

// column reads a column definition up to the end of the parser's tokens.
// withName is false for ALTER ... TYPE, which has only a type.
func (p *parser) column(withName bool) *Column {
	c := &Column{Pos: p.cur().Pos}
	n, ok := p.ident()
	if !ok {
		p.fail("expected a column name" + p.found())
		return nil
	}
	c.Name = n
	if !p.eof() && !p.colStop() {
		c.Type = p.typ()
		switch c.Type.Name {
		case "serial", "bigserial", "smallserial", "serial2", "serial4", "serial8":
			c.Serial = true
		}
	}
	p.columnAttrs(c)
	return c
}

// typ reads a data type, up to a column attribute or the end.
func (p *parser) typ() *Type {
	t := &Type{Pos: p.cur().Pos}
	from := p.i
	var words []string
	qualified := false
	for !p.eof() && !p.colStop() {
		tk := p.cur()
		switch {
		case tk.IsPunct("("):
			f, to := p.skipGroup()
			for _, r := range p.splitTop(f, to, tk.Depth+1) {
				if r[0] >= r[1] {
					continue
				}
				if r[1] == r[0]+1 && p.toks[r[0]].Kind == String {
					t.Args = append(t.Args, p.toks[r[0]].Name)
				} else {
					t.Args = append(t.Args, p.span(r[0], r[1]))
				}
			}
			continue
		case tk.IsPunct("[") || tk.IsPunct("]") || tk.IsPunct("[]"):
			t.Array = true
		case tk.Is("ARRAY"):
			t.Array = true
		case tk.Is("UNSIGNED"):
			t.Unsigned = true
		case tk.Is("ZEROFILL"), tk.Is("SIGNED"):
		case tk.IsPunct("."):
			// A qualified type name (public.mood): joined below.
			qualified = true
		case tk.Kind == Number:
			// SQLite-style "int[5]" or junk: keep it in Text only.
		case tk.IsIdent():
			w := strings.ToLower(tk.Name)
			if tk.Kind == QuotedIdent {
				w = tk.Name
			}
			if qualified && len(words) > 0 {
				w = "." + w
			} else if len(words) > 0 {
				w = " " + w
			}
			words = append(words, w)
			qualified = false
		default:
			// Anything else ends the type.
			t.Name = strings.Join(words, "")
			t.Text = p.span(from, p.i)
			return t
		}
		p.i++
	}
	t.Name = strings.Join(words, "")
	t.Text = p.span(from, p.i)
	return t
}

// columnAttrs reads the attributes of a column definition.
func (p *parser) columnAttrs(c *Column) {
	for !p.eof() && p.err == nil {
		switch {
		case p.accept("CONSTRAINT"):
			p.ident()
		case p.accept("NOT", "NULL"):
			c.NotNull = true
		case p.accept("NULL"):
			c.Null = true
		case p.accept("DEFAULT"):
			c.Default = p.expr()
		case p.accept("PRIMARY", "KEY"):
			c.PrimaryKey = true
			p.acceptAny("ASC", "DESC")
		case p.accept("KEY"):
			// MySQL: KEY alone in a column definition is PRIMARY KEY.
			c.PrimaryKey = true
		case p.accept("UNIQUE"):
			c.Unique = true
			p.accept("KEY")
			p.accept("NULLS", "NOT", "DISTINCT")
		case p.accept("REFERENCES"):
			c.References = p.reference()
		case p.accept("CHECK"):
			if !p.cur().IsPunct("(") {
				p.fail("expected ( after CHECK" + p.found())
				return
			}
			c.Checks = append(c.Checks, p.parenExpr())
		case p.accept("NOT", "ENFORCED"), p.accept("ENFORCED"), p.accept("NOT", "DEFERRABLE"), p.accept("DEFERRABLE"),
			p.accept("NO", "INHERIT"):
		case p.accept("INITIALLY"):
			p.i++
		case p.is("GENERATED"):
			p.i++
			switch {
			case p.accept("ALWAYS"):
				if p.accept("AS", "IDENTITY") {
					c.Identity = "ALWAYS"
					if p.cur().IsPunct("(") {
						p.skipGroup()
					}
					continue
				}
				if !p.accept("AS") {
					p.fail("expected AS after GENERATED ALWAYS" + p.found())
					return
				}
				p.generated(c)
			case p.accept("BY", "DEFAULT", "AS", "IDENTITY"):
				c.Identity = "BY DEFAULT"
				if p.cur().IsPunct("(") {
					p.skipGroup()
				}
			default:
				p.fail("expected ALWAYS or BY DEFAULT after GENERATED" + p.found())
				return
			}
		case p.accept("AS"):
			p.generated(c)
		case p.accept("AUTO_INCREMENT"), p.accept("AUTOINCREMENT"):
			c.AutoIncrement = true
		case p.accept("COLLATE"):
			c.Collate = p.wordValue()
		case p.accept("CHARACTER", "SET"), p.accept("CHARSET"):
			c.Charset = p.wordValue()
		case p.accept("COMMENT"):
			c.Comment = p.wordValue()
		case p.accept("ON", "UPDATE"):
			c.OnUpdate = p.expr()
		case p.accept("ON", "CONFLICT"):
			p.i++
		case p.accept("FIRST"):
			c.First = true
		case p.accept("AFTER"):
			c.After, _ = p.ident()
		case p.is("STORAGE"), p.is("COLUMN_FORMAT"), p.is("COMPRESSION"), p.is("ENGINE_ATTRIBUTE"),
			p.is("SECONDARY_ENGINE_ATTRIBUTE"), p.is("SRID"):
			p.i++
			p.punct("=")
			p.i++
		case p.is("SERIAL") && p.isSeq("SERIAL", "DEFAULT", "VALUE"):
			p.i += 3
			c.Serial = true
		default:
			p.i++
		}
	}
}

// wordValue reads one word, quoted identifier or string and returns its
// value.
func (p *parser) wordValue() string {
	t := p.cur()
	if p.eof() {
		p.fail("expected a value" + p.found())
		return ""
	}
	p.i++
	if t.Kind == Word {
		return t.Text
	}
	return t.Name
}

// generated reads (expr) [STORED|VIRTUAL|PERSISTENT] after GENERATED
// ALWAYS AS or AS.
func (p *parser) generated(c *Column) {
	if !p.cur().IsPunct("(") {
		p.fail("expected ( and the generation expression" + p.found())
		return
	}
	g := &Generated{Expr: p.parenExpr()}
	switch {
	case p.accept("STORED"), p.accept("PERSISTENT"):
		g.Stored = true
	case p.accept("VIRTUAL"):
		g.Virtual = true
	}
	c.Generated = g
}

// expr reads an expression up to the next column attribute (the first
// token is always taken, so DEFAULT NULL works).
func (p *parser) expr() *Expr {
	if p.eof() {
		p.fail("expected an expression" + p.found())
		return &Expr{}
	}
	from := p.i
	if p.cur().IsPunct("(") {
		p.skipGroup()
	} else {
		p.i++
	}
	for !p.eof() && !p.colStop() {
		if p.cur().IsPunct("(") {
			p.skipGroup()
			continue
		}
		p.i++
	}
	return p.exprOf(from, p.i)
}

// exprOf describes the tokens [from, to) as an expression.
func (p *parser) exprOf(from, to int) *Expr {
	e := &Expr{Text: p.span(from, to)}
	if from >= to {
		return e
	}
	e.Pos = p.toks[from].Pos
	if p.toks[from].IsPunct("(") && p.toks[to-1].IsPunct(")") && p.toks[to-1].Depth == p.toks[from].Depth {
		// The whole expression is one parenthesised group only when the
		// "(" closes at the last token.
		closes := to - 1
		for i := from + 1; i < to; i++ {
			if p.toks[i].Depth == p.toks[from].Depth {
				closes = i
				break
			}
		}
		e.Paren = closes == to-1
	}
	afterCast := false
	for i := from; i < to; i++ {
		t := p.toks[i]
		if t.IsPunct("::") {
			afterCast = true
			continue
		}
		if t.Kind != Word {
			afterCast = false
			continue
		}
		if afterCast {
			// A type name after ::, possibly several words or with args.
			continue
		}
		w := strings.ToLower(t.Text)
		call := i+1 < to && p.toks[i+1].IsPunct("(")
		v, known := volatilityOf(w, call)
		if !known {
			// A bare word is a keyword constant, a column (in CHECK and
			// generated expressions) or the type of a typed literal
			// (interval '1 day'); a call of a function not in the tables
			// may be anything.
			if call {
				v = Unknown
			}
		}
		if call || v == Stable || v == Volatile {
			e.Funcs = append(e.Funcs, w)
		}
		if v > e.Volatility {
			e.Volatility = v
		}
	}
	return e
}

// volatilityOf classifies a function (call) or keyword function (bare
// word). known is false for names not in the tables.
func volatilityOf(w string, call bool) (Volatility, bool) {
	switch w {
	case "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
		"uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "setval", "txid_current",
		"pg_current_xact_id", "gen_random_bytes", "random_bytes", "uuid", "uuid_short", "rand",
		"sysdate", "randomblob", "random_uuid", "uuid_v4", "sys_guid", "newid":
		return Volatile, true
	case "now", "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
		"transaction_timestamp", "statement_timestamp", "current_user", "session_user", "user",
		"current_role", "current_schema", "current_catalog", "utc_timestamp", "utc_date", "utc_time",
		"curdate", "curtime", "unix_timestamp", "current_setting", "datetime", "date", "time",
		"julianday", "strftime", "unixepoch":
		if !call && (w == "date" || w == "time") {
			return Constant, false
		}
		return Stable, true
	case "lower", "upper", "length", "coalesce", "concat", "abs", "round", "trim", "substr",
		"substring", "json_build_object", "jsonb_build_object", "json_object", "json_array",
		"to_jsonb", "array_agg", "greatest", "least", "nullif", "md5", "replace", "left", "right",
		"cast", "convert", "char_length", "hex", "unhex", "ifnull", "iif", "if", "timezone",
		"date_trunc", "extract", "date_part", "make_interval", "make_date", "to_timestamp", "to_date",
		"to_char", "to_number", "jsonb_build_array", "json_build_array", "array", "format",
		"concat_ws", "encode", "decode", "btrim", "ltrim", "rtrim", "regexp_replace", "split_part",
		"date_format", "str_to_date", "date_add", "date_sub", "json_quote", "char", "sha1", "sha2",
		"abs_value", "row", "point", "int4range", "int8range", "tstzrange", "tsrange", "daterange",
		"numrange", "to_tsvector", "setweight", "array_remove", "array_append", "cardinality",
		"jsonb_set", "json_extract", "printf", "quote", "typeof", "zeroblob", "floor", "ceil", "ceiling",
		"mod", "power", "sqrt", "trunc":
		return Constant, true
	}
	return Constant, false
}

// References returns the tables that foreign keys of CREATE TABLE or
// ALTER TABLE (ADD CONSTRAINT, ADD COLUMN ... REFERENCES, MODIFY/CHANGE
// with REFERENCES) point at, in order: the statement locks them too.
func (s *Statement) References() []Name {
	var out []Name
	addCol := func(c *Column) {
		if c != nil && c.References != nil && !c.References.Table.IsZero() {
			out = append(out, c.References.Table)
		}
	}
	addCon := func(c *Constraint) {
		if c != nil && c.Ref != nil && !c.Ref.Table.IsZero() {
			out = append(out, c.Ref.Table)
		}
	}
	if ct := s.CreateTable; ct != nil {
		for _, c := range ct.Columns {
			addCol(c)
		}
		for _, c := range ct.Constraints {
			addCon(c)
		}
	}
	if at := s.AlterTable; at != nil {
		for _, a := range at.Actions {
			addCol(a.Column)
			addCon(a.Constraint)
		}
	}
	return out
}
