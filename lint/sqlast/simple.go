package sqlast

import "strings"

// Rename is one pair of a MySQL RENAME TABLE.
type Rename struct{ From, To Name }

// Index describes the index of CREATE INDEX, of MySQL's ADD INDEX/KEY
// and of an index defined inside CREATE TABLE.
type Index struct {
	Name        Name // the index name; zero when none is given
	Table       Name // CREATE INDEX ... ON table
	Unique      bool
	Fulltext    bool     // MySQL FULLTEXT
	Spatial     bool     // MySQL SPATIAL
	Only        bool     // PostgreSQL ON ONLY (the partitioned parent alone)
	Method      string   // lower case: "btree", "gin", "hash", ...; "" when not given
	Columns     []string // column names or expression texts, in order
	Partial     bool     // WHERE clause
	Options     []Option // MySQL ALGORITHM=, LOCK=; PostgreSQL WITH (...) and TABLESPACE
	Include     []string // PostgreSQL INCLUDE (...)
	Expressions bool     // some key part is an expression
	IfNotExists bool     // MariaDB ADD INDEX IF NOT EXISTS (CREATE INDEX sets Statement.IfNotExists)
}

// Option is a name = value setting: MySQL ALGORITHM=INPLACE, LOCK=NONE,
// ENGINE=InnoDB; PostgreSQL storage parameters (fillfactor=70).
type Option struct {
	Name  string // upper case for MySQL table options, as written for storage parameters
	Value string // as written, quotes removed from a string
}

// SetVar is a SET statement. Scope and Value are those of the first
// assignment, whose name is the statement's Name.
type SetVar struct {
	Scope string // "SESSION", "LOCAL", "GLOBAL", "PERSIST" or "" (upper case)
	Value string // the value's source text, a string's content without quotes ("" for RESET; SET x TO DEFAULT gives "DEFAULT")
	// Assignments are every assignment, in order: MySQL's SET a = 1,
	// SESSION b = 2 has two.
	Assignments []Assignment
}

// Assignment is one name = value of SET.
type Assignment struct {
	Name  Name // lower case
	Scope string
	Value string
}

// AlterTypeAction is the action of ALTER TYPE.
type AlterTypeAction struct {
	// Op is "ADD VALUE", "RENAME VALUE", "RENAME TO", "OWNER TO",
	// "SET SCHEMA", "ADD ATTRIBUTE", ... (upper case), or "" when unknown.
	Op          string
	Value       string // the enum value added or renamed (ADD VALUE 'x', RENAME VALUE 'x' TO 'y')
	NewValue    string // RENAME VALUE ... TO 'y'; the new name for RENAME TO
	Before      string // ADD VALUE ... BEFORE 'v'
	After       string // ADD VALUE ... AFTER 'v'
	IfNotExists bool
}

func (p *parser) set() {
	st := p.st
	v := &SetVar{}
	st.Set = v
	for {
		a, ok := p.assignment()
		if !ok {
			return
		}
		if len(v.Assignments) == 0 {
			st.Name, v.Scope, v.Value = a.Name, a.Scope, a.Value
		}
		v.Assignments = append(v.Assignments, a)
		// MySQL: SET a = 1, SESSION b = 2.
		if !p.d.isMySQL() || !p.punct(",") {
			return
		}
	}
}

// assignment reads [scope] name {= | := | TO} value, or a SET form
// without an assignment (SET NAMES x, SET TRANSACTION ...), whose Value
// is the rest of the statement.
func (p *parser) assignment() (Assignment, bool) {
	a := Assignment{}
	switch {
	case p.is("LOCAL"), p.is("SESSION"), p.is("GLOBAL"), p.is("PERSIST"), p.is("PERSIST_ONLY"):
		if !p.peek(1).IsPunct("=") {
			a.Scope = strings.ToUpper(p.cur().Text)
			p.i++
		}
	}
	if t := p.cur(); t.Kind == Param && strings.HasPrefix(t.Text, "@@") {
		// MySQL @@session.x / @@x.
		name := t.Text[2:]
		if k := strings.IndexByte(name, '.'); k >= 0 {
			if a.Scope == "" {
				a.Scope = strings.ToUpper(name[:k])
			}
			name = name[k+1:]
		}
		a.Name = Name{Parts: []string{strings.ToLower(name)}, Pos: t.Pos}
		p.i++
	} else if t.Kind == Param {
		a.Name = Name{Parts: []string{t.Text}, Pos: t.Pos}
		p.i++
	} else if p.isSeq("TIME", "ZONE") {
		// PostgreSQL SET TIME ZONE x is SET timezone = x.
		a.Name = Name{Parts: []string{"timezone"}, Pos: t.Pos}
		p.i += 2
		a.Value = p.restValue()
		return a, true
	} else if n, ok := p.name(); ok {
		for i := range n.Parts {
			n.Parts[i] = strings.ToLower(n.Parts[i])
		}
		a.Name = n
	} else {
		p.fail("expected a setting name" + p.found())
		return a, false
	}
	if !(p.punct("=") || p.punct(":=") || p.accept("TO")) {
		a.Value = p.restValue()
		return a, true
	}
	from := p.i
	for !p.eof() && !(p.d.isMySQL() && p.cur().Depth == 0 && p.cur().IsPunct(",")) {
		p.i++
	}
	if from == p.i {
		p.fail("expected a value" + p.found())
		return a, false
	}
	a.Value = p.span(from, p.i)
	if t := p.toks[from]; from == p.i-1 && t.Kind == String {
		a.Value = t.Name
	}
	return a, true
}

// restValue consumes the rest of the statement and returns its text, or a
// lone string's content.
func (p *parser) restValue() string {
	v := p.rest()
	if p.i == len(p.toks)-1 && p.cur().Kind == String {
		v = p.cur().Name
	}
	p.i = len(p.toks)
	return v
}

func (p *parser) reset() {
	st := p.st
	st.Set = &SetVar{}
	if n, ok := p.name(); ok {
		for i := range n.Parts {
			n.Parts[i] = strings.ToLower(n.Parts[i])
		}
		st.Name = n
	}
}

func (p *parser) vacuum() {
	st := p.st
	// VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [table, ...]
	// VACUUM (FULL, ANALYZE) [table, ...]; SQLite VACUUM [schema] [INTO file].
	if p.cur().IsPunct("(") {
		from, to := p.skipGroup()
		for i := from; i < to; i++ {
			if p.toks[i].Is("FULL") {
				n := i + 1
				if n < to && (p.toks[n].Is("FALSE") || p.toks[n].Is("OFF") || p.toks[n].Text == "0") {
					continue
				}
				st.Full = true
			}
		}
	}
	for {
		switch {
		case p.accept("FULL"):
			st.Full = true
			continue
		case p.is("FREEZE"), p.is("VERBOSE"), p.is("ANALYZE"), p.is("ANALYSE"):
			p.i++
			continue
		}
		break
	}
	p.nameList()
}

// nameList reads name [(columns)], name ... into Names and Name.
func (p *parser) nameList() {
	st := p.st
	for {
		n, ok := p.name()
		if !ok || n.Object() == "" {
			break
		}
		if p.cur().IsPunct("(") {
			p.skipGroup()
		}
		st.Names = append(st.Names, n)
		if !p.punct(",") {
			break
		}
	}
	if len(st.Names) > 0 {
		st.Name = st.Names[0]
	}
}

func (p *parser) reindex() {
	st := p.st
	// PG: REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name
	// SQLite: REINDEX [name]
	// PostgreSQL 14: REINDEX (CONCURRENTLY [boolean], ...) ...
	if p.cur().IsPunct("(") {
		for _, o := range p.params() {
			if f := strings.Fields(strings.ToUpper(o.Name)); len(f) > 0 && f[0] == "CONCURRENTLY" &&
				(len(f) == 1 || f[1] == "TRUE" || f[1] == "ON" || f[1] == "1") {
				st.Concurrently = true
			}
		}
	}
	switch {
	case p.is("INDEX"), p.is("TABLE"), p.is("SCHEMA"), p.is("DATABASE"), p.is("SYSTEM"):
		st.ObjectType = strings.ToUpper(p.cur().Text)
		p.i++
	}
	if p.accept("CONCURRENTLY") {
		st.Concurrently = true
	}
	if n, ok := p.name(); ok {
		st.Name = n
	}
}

func (p *parser) cluster() {
	st := p.st
	if p.cur().IsPunct("(") {
		p.skipGroup()
	}
	p.accept("VERBOSE")
	if n, ok := p.name(); ok {
		st.Name = n
		if p.accept("USING") {
			if ix, ok := p.name(); ok {
				st.Names = append(st.Names, n, ix)
			}
		} else if p.accept("ON") {
			// Old form CLUSTER index ON table.
			if t, ok := p.name(); ok {
				st.Name = t
				st.Names = append(st.Names, t, n)
			}
		}
	}
}

func (p *parser) createTrigger() {
	st := p.st
	trig := p.needName("trigger")
	if p.err != nil {
		return
	}
	st.Names = append(st.Names, trig)
	// ... ON table ...
	for !p.eof() {
		if p.cur().Depth == 0 && p.accept("ON") {
			if n, ok := p.name(); ok {
				st.Name = n
			}
			return
		}
		p.i++
	}
	p.fail("expected ON table in CREATE TRIGGER")
}

func (p *parser) alterType() {
	st := p.st
	a := &AlterTypeAction{}
	st.AlterType = a
	switch {
	case p.accept("ADD", "VALUE"):
		a.Op = "ADD VALUE"
		if p.accept("IF", "NOT", "EXISTS") {
			a.IfNotExists = true
		}
		if !p.stringInto(&a.Value) {
			return
		}
		switch {
		case p.accept("BEFORE"):
			p.stringInto(&a.Before)
		case p.accept("AFTER"):
			p.stringInto(&a.After)
		}
	case p.accept("RENAME", "VALUE"):
		a.Op = "RENAME VALUE"
		if p.stringInto(&a.Value) && p.expect("TO") {
			p.stringInto(&a.NewValue)
		}
	case p.accept("RENAME", "TO"):
		a.Op = "RENAME TO"
		if s, ok := p.ident(); ok {
			a.NewValue = s
		} else {
			p.fail("expected a new type name" + p.found())
		}
	case p.accept("RENAME", "ATTRIBUTE"):
		a.Op = "RENAME ATTRIBUTE"
	case p.accept("OWNER", "TO"):
		a.Op = "OWNER TO"
	case p.accept("SET", "SCHEMA"):
		a.Op = "SET SCHEMA"
	case p.is("ADD"), p.is("DROP"), p.is("ALTER"):
		a.Op = strings.ToUpper(p.cur().Text)
		if p.peek(1).Is("ATTRIBUTE") {
			a.Op += " ATTRIBUTE"
		}
	case p.eof():
		p.fail("expected an action after ALTER TYPE " + st.Name.String())
	}
}

// stringInto reads a string literal into dst, or records a syntax error.
func (p *parser) stringInto(dst *string) bool {
	if t := p.cur(); t.Kind == String {
		*dst = t.Name
		p.i++
		return true
	}
	p.fail("expected a string literal" + p.found())
	return false
}

func (p *parser) alterSchema() {
	st := p.st
	if p.accept("RENAME", "TO") {
		st.RenameTo, _ = p.ident()
		if st.RenameTo == "" {
			p.fail("expected a new name" + p.found())
		}
	}
}

func (p *parser) createIndex() {
	st := p.st
	ix := &Index{}
	st.Index = ix
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
		case p.accept("BITMAP"):
			continue
		}
		break
	}
	if !p.expect("INDEX") {
		return
	}
	if p.accept("CONCURRENTLY") {
		st.Concurrently = true
	}
	p.ifNotExists()
	if !p.is("ON") {
		ix.Name = p.needName("index")
	}
	// MySQL: CREATE INDEX i USING BTREE ON t (...)
	if p.accept("USING") {
		m, _ := p.ident()
		ix.Method = strings.ToLower(m)
	}
	if !p.expect("ON") {
		return
	}
	if p.accept("ONLY") {
		ix.Only = true
	}
	ix.Table = p.needName("table")
	st.Name = ix.Table
	if p.err != nil {
		return
	}
	if p.accept("USING") {
		ix.Method, _ = p.ident()
		ix.Method = strings.ToLower(ix.Method)
	}
	if !p.cur().IsPunct("(") {
		p.fail("expected ( and the indexed columns" + p.found())
		return
	}
	ix.Columns, ix.Expressions = p.keyParts()
	for !p.eof() {
		switch {
		case p.accept("INCLUDE"):
			if p.cur().IsPunct("(") {
				ix.Include, _ = p.keyParts()
			}
		case p.accept("WHERE"):
			ix.Partial = true
			p.i = len(p.toks)
		case p.accept("WITH"):
			if p.cur().IsPunct("(") {
				ix.Options = append(ix.Options, p.params()...)
			}
		case p.is("ALGORITHM"), p.is("LOCK"):
			name := strings.ToUpper(p.cur().Text)
			p.i++
			p.punct("=")
			if t := p.cur(); !p.eof() {
				ix.Options = append(ix.Options, Option{Name: name, Value: strings.ToUpper(t.Text)})
				p.i++
			}
		case p.accept("USING"):
			// MySQL: ... (columns) USING BTREE.
			m, _ := p.ident()
			ix.Method = strings.ToLower(m)
		case p.accept("TABLESPACE"):
			if s, ok := p.ident(); ok {
				ix.Options = append(ix.Options, Option{Name: "TABLESPACE", Value: s})
			}
		default:
			p.i++
		}
	}
}

// keyParts reads a parenthesised list of index key parts: each a column
// name (with optional length, ordering, opclass) or an expression. It
// returns a name per part (the expression's text for an expression).
func (p *parser) keyParts() (cols []string, expr bool) {
	from, to := p.skipGroup()
	start := from
	for i := from; i <= to && i <= len(p.toks); i++ {
		if i < to && !(p.toks[i].IsPunct(",") && p.toks[i].Depth == p.toks[from].Depth) {
			continue
		}
		if start < i {
			t := p.toks[start]
			if t.IsIdent() && (start+1 == i || p.toks[start+1].Kind == Word || p.toks[start+1].IsPunct("(") && p.d.isMySQL()) {
				cols = append(cols, t.Name)
			} else {
				cols = append(cols, p.span(start, i))
				expr = true
			}
		}
		start = i + 1
	}
	return cols, expr
}

// params reads a parenthesised list of name [= value] settings.
func (p *parser) params() []Option {
	from, to := p.skipGroup()
	var out []Option
	start := from
	for i := from; i <= to && i <= len(p.toks); i++ {
		if i < to && !(p.toks[i].IsPunct(",") && p.toks[i].Depth == p.toks[from].Depth) {
			continue
		}
		if start < i {
			o := Option{}
			eq := -1
			for k := start; k < i; k++ {
				if p.toks[k].IsPunct("=") {
					eq = k
					break
				}
			}
			if eq < 0 {
				o.Name = p.span(start, i)
			} else {
				o.Name = p.span(start, eq)
				if eq+2 == i && p.toks[eq+1].Kind == String {
					o.Value = p.toks[eq+1].Name
				} else {
					o.Value = p.span(eq+1, i)
				}
			}
			out = append(out, o)
		}
		start = i + 1
	}
	return out
}
