package sqlast

import "strings"

// parser walks the tokens of one statement. Every read is bounds-checked:
// past the end it sees a zero Token, which matches nothing.
type parser struct {
	st   *Statement
	toks []Token
	d    Dialect
	i    int
	err  *SyntaxError
	// after is the token just past a sub-parser's range, if any.
	after *Token
}

func (p *parser) peek(k int) Token {
	if j := p.i + k; j >= 0 && j < len(p.toks) {
		return p.toks[j]
	}
	return Token{Kind: Punct}
}

func (p *parser) cur() Token       { return p.peek(0) }
func (p *parser) eof() bool        { return p.i >= len(p.toks) }
func (p *parser) is(w string) bool { return p.peek(0).Is(w) }

// isSeq reports whether the next tokens are the words (or punctuation).
func (p *parser) isSeq(words ...string) bool {
	for k, w := range words {
		t := p.peek(k)
		if t.Kind == Punct {
			if t.Text != w {
				return false
			}
		} else if !t.Is(w) {
			return false
		}
	}
	return true
}

// accept consumes the words when the next tokens are they.
func (p *parser) accept(words ...string) bool {
	if p.isSeq(words...) {
		p.i += len(words)
		return true
	}
	return false
}

// acceptAny consumes one token that is any of the words and returns its
// upper-case text, or "".
func (p *parser) acceptAny(words ...string) string {
	for _, w := range words {
		if p.is(w) {
			p.i++
			return w
		}
	}
	return ""
}

func (p *parser) punct(s string) bool {
	if p.peek(0).IsPunct(s) {
		p.i++
		return true
	}
	return false
}

// fail records the first syntax error, at the current token (or at the
// end of the statement).
func (p *parser) fail(msg string) {
	if p.err != nil {
		return
	}
	pos := p.st.Pos
	if p.i < len(p.toks) {
		pos = p.toks[p.i].Pos
	} else if p.after != nil {
		pos = p.after.Pos
	} else if len(p.toks) > 0 {
		last := p.toks[len(p.toks)-1]
		pos = last.Pos
		pos.Offset += len(last.Text)
		pos.Col += len(last.Text)
	}
	p.err = &SyntaxError{Pos: pos, Msg: msg}
}

// failAt records a syntax error at token i (or at the end).
func (p *parser) failAt(i int, msg string) {
	save := p.i
	p.i = i
	p.fail(msg)
	p.i = save
}

func (p *parser) expect(words ...string) bool {
	if p.accept(words...) {
		return true
	}
	p.fail("expected " + strings.Join(words, " ") + p.found())
	return false
}

// found describes what the parser sees instead of what it expected: the
// current token, the token that ends a sub-parser's range (the "," or ")"
// after a column definition), or the end of the statement.
func (p *parser) found() string {
	switch {
	case !p.eof():
		return ", found " + shorten(p.cur().Text)
	case p.after != nil:
		return ", found " + shorten(p.after.Text)
	}
	return " at the end of the statement"
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// name reads a possibly qualified name. It reports false, without
// consuming anything, when no identifier is next.
func (p *parser) name() (Name, bool) {
	t := p.cur()
	if !t.IsIdent() {
		return Name{}, false
	}
	n := Name{Pos: t.Pos, Parts: []string{t.Name}}
	p.i++
	for p.cur().IsPunct(".") && p.peek(1).IsIdent() {
		n.Parts = append(n.Parts, p.peek(1).Name)
		p.i += 2
	}
	return n, true
}

// needName reads a name or records a syntax error.
func (p *parser) needName(what string) Name {
	n, ok := p.name()
	if !ok {
		p.fail("expected " + what + " name" + p.found())
	}
	return n
}

// ident reads one identifier and returns its name.
func (p *parser) ident() (string, bool) {
	t := p.cur()
	if !t.IsIdent() {
		return "", false
	}
	p.i++
	return t.Name, true
}

// skipGroup skips a parenthesised group starting at the current "(" and
// returns the index range of its inside.
func (p *parser) skipGroup() (from, to int) {
	if !p.cur().IsPunct("(") {
		return p.i, p.i
	}
	d := p.cur().Depth
	p.i++
	from = p.i
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.Depth == d && t.IsPunct(")") {
			to = p.i
			p.i++
			return from, to
		}
		p.i++
	}
	p.fail("unclosed parenthesis")
	return from, len(p.toks)
}

// ifExists and ifNotExists consume the clauses and set the flags.
func (p *parser) ifExists() {
	if p.accept("IF", "EXISTS") {
		p.st.IfExists = true
	}
}

func (p *parser) ifNotExists() {
	if p.accept("IF", "NOT", "EXISTS") {
		p.st.IfNotExists = true
	}
}

// statement recognises the statement's kind and parts.
func (p *parser) statement() {
	st := p.st
	if len(p.toks) == 0 {
		return
	}
	// A parenthesised SELECT.
	if p.cur().IsPunct("(") {
		return
	}
	first := p.cur()
	if first.Kind != Word {
		return
	}
	p.i++
	switch strings.ToUpper(first.Text) {
	case "CREATE":
		p.create()
	case "ALTER":
		p.alter()
	case "DROP":
		p.drop()
	case "TRUNCATE":
		st.Kind = Truncate
		p.accept("TABLE")
		p.truncate()
	case "RENAME":
		if p.accept("TABLE") || p.accept("TABLES") {
			st.Kind = RenameTable
			p.renameTable()
		}
	case "INSERT", "REPLACE":
		st.Kind = Insert
		p.insert()
	case "UPDATE":
		st.Kind = Update
		p.update()
	case "DELETE":
		st.Kind = Delete
		p.delete()
	case "SELECT", "VALUES", "TABLE":
		st.Kind = Select
	case "WITH":
		p.with()
	case "BEGIN":
		// PostgreSQL BEGIN [WORK|TRANSACTION] [modes]; SQLite BEGIN
		// [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION]; MySQL BEGIN [WORK].
		// A BEGIN ... END block is not a transaction.
		if p.eof() || p.isTxWord() {
			st.Kind = Begin
		}
	case "START":
		if p.is("TRANSACTION") {
			st.Kind = Begin
		}
	case "COMMIT", "END":
		if p.eof() || p.is("WORK") || p.is("TRANSACTION") || p.is("AND") {
			st.Kind = Commit
		}
	case "ROLLBACK", "ABORT":
		p.acceptAny("WORK", "TRANSACTION")
		if p.is("TO") {
			st.Kind = Savepoint
		} else {
			st.Kind = Rollback
		}
	case "SAVEPOINT", "RELEASE":
		st.Kind = Savepoint
		p.accept("SAVEPOINT")
		if n, ok := p.name(); ok {
			st.Name = n
		}
	case "SET":
		st.Kind = Set
		p.set()
	case "RESET":
		st.Kind = Set
		p.reset()
	case "VACUUM":
		st.Kind = Vacuum
		p.vacuum()
	case "REINDEX":
		st.Kind = Reindex
		p.reindex()
	case "CLUSTER":
		st.Kind = Cluster
		p.cluster()
	case "REFRESH":
		if p.accept("MATERIALIZED", "VIEW") {
			st.Kind = RefreshMatView
			st.ObjectType = "MATERIALIZED VIEW"
			if p.accept("CONCURRENTLY") {
				st.Concurrently = true
			}
			st.Name = p.needName("materialized view")
		}
	case "PRAGMA":
		st.Kind = Pragma
		p.pragma()
	case "ANALYZE", "ANALYSE":
		st.Kind = Analyze
	case "COMMENT":
		if p.is("ON") {
			st.Kind = CommentOn
		}
	case "GRANT", "REVOKE":
		st.Kind = Grant
	case "LOCK":
		if p.accept("TABLE") || p.accept("TABLES") || p.cur().IsIdent() {
			st.Kind = LockTable
			if n, ok := p.name(); ok {
				st.Name = n
			}
		}
	}
}

func (p *parser) isTxWord() bool {
	switch {
	case p.is("WORK"), p.is("TRANSACTION"), p.is("ISOLATION"), p.is("READ"),
		p.is("DEFERRED"), p.is("IMMEDIATE"), p.is("EXCLUSIVE"), p.is("NOT"), p.is("DEFERRABLE"):
		return true
	}
	return false
}

// create handles CREATE ...
func (p *parser) create() {
	st := p.st
	if p.accept("OR", "REPLACE") {
		st.OrReplace = true
	}
	// Modifiers before the object keyword.
	for {
		switch {
		case p.is("TEMP"), p.is("TEMPORARY"):
			st.Temporary = true
			p.i++
			continue
		case p.is("GLOBAL"), p.is("LOCAL"), p.is("UNLOGGED"), p.is("RECURSIVE"),
			p.is("CONSTRAINT"), p.is("ONLINE"), p.is("OFFLINE"), p.is("NONCLUSTERED"):
			p.i++
			continue
		case p.is("DEFINER"):
			// MySQL DEFINER = user: skip to the object keyword.
			p.i++
			p.punct("=")
			for !p.eof() && !p.is("TRIGGER") && !p.is("VIEW") && !p.is("PROCEDURE") &&
				!p.is("FUNCTION") && !p.is("EVENT") && !p.is("SQL") {
				p.i++
			}
			continue
		case p.is("ALGORITHM"):
			p.i++
			p.punct("=")
			p.i++
			continue
		case p.isSeq("SQL", "SECURITY"):
			p.i += 3
			continue
		}
		break
	}
	switch {
	case p.accept("TABLE"):
		st.Kind = CreateTable
		st.ObjectType = "TABLE"
		p.ifNotExists()
		st.Name = p.needName("table")
		p.createTable()
	case p.accept("VIRTUAL", "TABLE"):
		// SQLite CREATE VIRTUAL TABLE t USING module(args).
		st.Kind = CreateTable
		st.ObjectType = "VIRTUAL TABLE"
		p.ifNotExists()
		st.Name = p.needName("table")
		ct := &CreateTableParts{}
		st.CreateTable = ct
		if p.err == nil && p.expect("USING") {
			m, _ := p.ident()
			ct.Options = append(ct.Options, Option{Name: "USING", Value: m})
		}
	case p.is("UNIQUE"), p.is("FULLTEXT"), p.is("SPATIAL"), p.is("INDEX"), p.is("BITMAP"):
		st.Kind = CreateIndex
		st.ObjectType = "INDEX"
		p.createIndex()
	case p.accept("TRIGGER"):
		st.Kind = CreateTrigger
		st.ObjectType = "TRIGGER"
		p.ifNotExists()
		p.createTrigger()
	case p.accept("DOMAIN"):
		st.Kind = CreateDomain
		st.ObjectType = "DOMAIN"
		st.Name = p.needName("domain")
	case p.accept("TYPE"):
		st.Kind = CreateType
		st.ObjectType = "TYPE"
		st.Name = p.needName("type")
		if p.accept("AS", "ENUM") {
			if !p.cur().IsPunct("(") {
				p.fail("expected ( and the enum's values" + p.found())
				break
			}
			from, to := p.skipGroup()
			st.EnumValues = []string{}
			for i := from; i < to; i++ {
				if t := p.toks[i]; t.Kind == String {
					st.EnumValues = append(st.EnumValues, t.Name)
				}
			}
		}
	case p.accept("MATERIALIZED", "VIEW"):
		st.Kind = CreateView
		st.ObjectType = "MATERIALIZED VIEW"
		p.ifNotExists()
		st.Name = p.needName("view")
	case p.accept("VIEW"):
		st.Kind = CreateView
		st.ObjectType = "VIEW"
		p.ifNotExists()
		st.Name = p.needName("view")
	case p.is("FUNCTION"), p.is("PROCEDURE"):
		st.Kind = CreateFunction
		st.ObjectType = strings.ToUpper(p.cur().Text)
		p.i++
		p.ifNotExists()
		st.Name = p.needName(strings.ToLower(st.ObjectType))
	case p.is("SCHEMA"), p.is("DATABASE"):
		st.Kind = CreateSchema
		st.ObjectType = strings.ToUpper(p.cur().Text)
		p.i++
		p.ifNotExists()
		if n, ok := p.name(); ok && !n.IsZero() && !strings.EqualFold(n.Object(), "authorization") {
			st.Name = n
		}
	case p.accept("SEQUENCE"):
		st.Kind = CreateSequence
		st.ObjectType = "SEQUENCE"
		p.ifNotExists()
		st.Name = p.needName("sequence")
	case p.accept("EXTENSION"):
		st.Kind = CreateExtension
		st.ObjectType = "EXTENSION"
		p.ifNotExists()
		st.Name = p.needName("extension")
	}
}

// alter handles ALTER ...
func (p *parser) alter() {
	st := p.st
	// MySQL ALTER [ONLINE] [IGNORE] TABLE.
	for p.is("ONLINE") || p.is("IGNORE") || p.is("OFFLINE") {
		p.i++
	}
	switch {
	case p.accept("TABLE"):
		st.Kind = AlterTable
		st.ObjectType = "TABLE"
		p.ifExists()
		p.accept("ONLY")
		st.Name = p.needName("table")
		p.punct("*")
		// MariaDB: ALTER TABLE t [WAIT n | NOWAIT] actions.
		if p.d.isMySQL() {
			if p.isSeq("WAIT") && p.peek(1).Kind == Number {
				p.i += 2
			} else {
				p.accept("NOWAIT")
			}
		}
		p.alterTable()
	case p.accept("TYPE"):
		st.Kind = AlterType
		st.ObjectType = "TYPE"
		st.Name = p.needName("type")
		p.alterType()
	case p.accept("DOMAIN"):
		st.Kind = AlterDomain
		st.ObjectType = "DOMAIN"
		st.Name = p.needName("domain")
	case p.is("SCHEMA"), p.is("DATABASE"):
		st.Kind = AlterSchema
		st.ObjectType = strings.ToUpper(p.cur().Text)
		p.i++
		if n, ok := p.name(); ok {
			st.Name = n
		}
		p.alterSchema()
	case p.accept("INDEX"):
		st.Kind = AlterIndex
		st.ObjectType = "INDEX"
		p.ifExists()
		st.Name = p.needName("index")
	case p.accept("SYSTEM"):
		st.Kind = AlterSystem
		st.ObjectType = "SYSTEM"
	case p.cur().Kind == Word:
		var obj []string
		for !p.eof() && p.cur().Kind == Word && len(obj) < 3 {
			w := strings.ToUpper(p.cur().Text)
			if w == "IF" || len(obj) > 0 && !dropMulti(obj[0], w) {
				break
			}
			obj = append(obj, w)
			p.i++
		}
		st.Kind = AlterObject
		st.ObjectType = strings.Join(obj, " ")
		p.ifExists()
		if n, ok := p.name(); ok {
			st.Name = n
		}
	}
	// ALTER INDEX/VIEW/SEQUENCE/... name RENAME TO new.
	if st.Kind == AlterIndex || st.Kind == AlterObject {
		if i := st.IndexSeq("RENAME", "TO"); i >= 0 && i+2 < len(p.toks) && p.toks[i+2].IsIdent() {
			st.RenameTo = p.toks[i+2].Name
		}
	}
}

// drop handles DROP ...
func (p *parser) drop() {
	st := p.st
	if p.accept("TEMPORARY") {
		st.Temporary = true
	}
	var obj []string
	for !p.eof() && p.cur().Kind == Word && len(obj) < 3 {
		w := strings.ToUpper(p.cur().Text)
		if w == "IF" || w == "CONCURRENTLY" || len(obj) > 0 && !dropMulti(obj[0], w) {
			break
		}
		obj = append(obj, w)
		p.i++
	}
	if len(obj) == 0 {
		return
	}
	st.ObjectType = strings.Join(obj, " ")
	switch st.ObjectType {
	case "TABLE":
		st.Kind = DropTable
	case "INDEX":
		st.Kind = DropIndex
	case "SCHEMA", "DATABASE":
		st.Kind = DropSchema
	default:
		st.Kind = DropObject
	}
	if p.accept("CONCURRENTLY") {
		st.Concurrently = true
	}
	p.ifExists()
	for {
		n, ok := p.name()
		if !ok {
			break
		}
		// Function signatures: DROP FUNCTION f(int).
		if p.cur().IsPunct("(") {
			p.skipGroup()
		}
		st.Names = append(st.Names, n)
		if !p.punct(",") {
			break
		}
	}
	if len(st.Names) == 0 {
		// DROP CAST (a AS b), DROP OWNED BY r, ...: other forms are not
		// checked.
		if st.Kind != DropObject {
			p.fail("expected " + strings.ToLower(st.ObjectType) + " name" + p.found())
		}
		return
	}
	st.Name = st.Names[0]
	// MySQL DROP INDEX i ON t [ALGORITHM=..] [LOCK=..]; DROP TRIGGER t ON tbl.
	if p.accept("ON") {
		if n, ok := p.name(); ok {
			st.Names = append(st.Names, n)
		}
	}
	p.tailCascade()
}

// dropMulti reports whether w continues the object keyword started by
// first (MATERIALIZED VIEW, FOREIGN TABLE, ...).
func dropMulti(first, w string) bool {
	switch first {
	case "MATERIALIZED":
		return w == "VIEW"
	case "FOREIGN":
		return w == "TABLE" || w == "DATA" || w == "WRAPPER"
	case "TEXT":
		return w == "SEARCH" || w == "PARSER" || w == "DICTIONARY" || w == "TEMPLATE" || w == "CONFIGURATION"
	case "SEARCH":
		return w == "PARSER" || w == "DICTIONARY" || w == "TEMPLATE" || w == "CONFIGURATION"
	case "ACCESS":
		return w == "METHOD"
	case "EVENT":
		return w == "TRIGGER"
	case "USER":
		return w == "MAPPING"
	case "OPERATOR":
		return w == "CLASS" || w == "FAMILY"
	}
	return false
}

// tailCascade reads trailing options (ALGORITHM=, LOCK=) and CASCADE or
// RESTRICT.
func (p *parser) tailCascade() {
	for !p.eof() {
		switch {
		case p.accept("CASCADE"):
			p.st.Cascade = true
		case p.accept("RESTRICT"):
			p.st.Restrict = true
		default:
			p.i++
		}
	}
}

func (p *parser) truncate() {
	st := p.st
	for {
		p.accept("ONLY")
		n, ok := p.name()
		if !ok {
			break
		}
		p.punct("*")
		st.Names = append(st.Names, n)
		if !p.punct(",") {
			break
		}
	}
	if len(st.Names) == 0 {
		p.fail("expected table name" + p.found())
		return
	}
	st.Name = st.Names[0]
	p.tailCascade()
}

func (p *parser) renameTable() {
	st := p.st
	for {
		from := p.needName("table")
		if p.err != nil {
			return
		}
		if !p.expect("TO") {
			return
		}
		to := p.needName("table")
		if p.err != nil {
			return
		}
		st.Names = append(st.Names, from)
		st.Renames = append(st.Renames, Rename{From: from, To: to})
		if !p.punct(",") {
			break
		}
	}
	st.Name = st.Names[0]
	if !p.eof() {
		p.fail("unexpected " + shorten(p.cur().Text))
	}
}

func (p *parser) insert() {
	st := p.st
	for p.is("LOW_PRIORITY") || p.is("DELAYED") || p.is("HIGH_PRIORITY") || p.is("IGNORE") {
		p.i++
	}
	if p.accept("OR") {
		p.i++ // SQLite INSERT OR REPLACE/IGNORE/...
	}
	p.accept("INTO")
	if n, ok := p.name(); ok {
		st.Name = n
	}
	if p.accept("AS") {
		p.ident()
	}
	// INSERT INTO t (a, b) ...; not INSERT INTO t (SELECT ...).
	if p.cur().IsPunct("(") && !p.peek(1).Is("SELECT") && !p.peek(1).Is("WITH") {
		st.Columns, _ = p.keyParts()
	} else if p.accept("SET") {
		// MySQL INSERT ... SET a = 1, b = 2.
		p.setList()
	}
}

// setList reads the targets of SET a = x, b = y up to FROM, WHERE or the
// end into Columns.
func (p *parser) setList() {
	st := p.st
	d := p.cur().Depth
	for !p.eof() {
		t := p.cur()
		if t.Depth == d && (t.Is("FROM") || t.Is("WHERE") || t.Is("RETURNING") || t.Is("ORDER") || t.Is("LIMIT") || t.Is("ON")) {
			return
		}
		if t.IsPunct("(") {
			// (a, b) = (1, 2)
			cols, _ := p.keyParts()
			st.Columns = append(st.Columns, cols...)
		} else if n, ok := p.name(); ok {
			st.Columns = append(st.Columns, n.Object())
		} else {
			p.fail("expected a column name after SET" + p.found())
			return
		}
		if !p.punct("=") {
			p.fail("expected = in SET" + p.found())
			return
		}
		// Skip the value to the next top-level comma.
		for !p.eof() && !(p.cur().Depth == d && (p.cur().IsPunct(",") || p.cur().Is("FROM") || p.cur().Is("WHERE") ||
			p.cur().Is("RETURNING") || p.cur().Is("ORDER") || p.cur().Is("LIMIT"))) {
			p.i++
		}
		if !p.punct(",") {
			return
		}
	}
}

func (p *parser) update() {
	st := p.st
	for p.is("LOW_PRIORITY") || p.is("IGNORE") || p.is("ONLY") {
		p.i++
	}
	if p.accept("OR") {
		p.i++
	}
	st.Name = p.needName("table")
	st.HasWhere = st.HasKeyword("WHERE")
	if p.err != nil {
		return
	}
	// [AS] alias, MySQL joins: look for the top-level SET.
	for !p.eof() && !(p.cur().Depth == 0 && p.is("SET")) {
		p.i++
	}
	if !p.accept("SET") {
		p.fail("expected SET in UPDATE")
		return
	}
	p.setList()
}

func (p *parser) delete() {
	st := p.st
	for p.is("LOW_PRIORITY") || p.is("QUICK") || p.is("IGNORE") {
		p.i++
	}
	if p.accept("FROM") {
		p.accept("ONLY")
		st.Name = p.needName("table")
	} else if n, ok := p.name(); ok {
		// MySQL multi-table DELETE t1 FROM t1 JOIN ...
		st.Name = n
	}
	st.HasWhere = st.HasKeyword("WHERE")
}

// with finds the main statement after WITH [RECURSIVE] name AS (...), ...
func (p *parser) with() {
	st := p.st
	for i := p.i; i < len(p.toks); i++ {
		t := p.toks[i]
		if t.Depth != 0 || t.Kind != Word {
			continue
		}
		switch strings.ToUpper(t.Text) {
		case "SELECT", "VALUES":
			st.Kind = Select
			return
		case "INSERT", "UPDATE", "DELETE":
			p.i = i + 1
			switch strings.ToUpper(t.Text) {
			case "INSERT":
				st.Kind = Insert
				p.insert()
			case "UPDATE":
				st.Kind = Update
				p.update()
			default:
				st.Kind = Delete
				p.delete()
			}
			return
		}
	}
}

func (p *parser) pragma() {
	st := p.st
	if n, ok := p.name(); ok {
		st.Name = n
	}
	if p.punct("=") {
		st.Value = p.rest()
	} else if p.cur().IsPunct("(") {
		from, to := p.skipGroup()
		st.Value = p.span(from, to)
	}
}

// rest returns the source text from the current token to the end.
func (p *parser) rest() string {
	if p.eof() {
		return ""
	}
	return p.span(p.i, len(p.toks))
}

// span returns the source text of tokens [from, to).
func (p *parser) span(from, to int) string {
	if from >= to || from < 0 || to > len(p.toks) {
		return ""
	}
	a := p.toks[from].Pos.Offset - p.st.Pos.Offset
	b := p.toks[to-1].End() - p.st.Pos.Offset
	if a < 0 || b > len(p.st.Text) || a > b {
		return ""
	}
	return p.st.Text[a:b]
}
