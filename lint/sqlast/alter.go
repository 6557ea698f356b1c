package sqlast

import (
	"strconv"
	"strings"
)

// ActionKind is the kind of one ALTER TABLE action.
type ActionKind uint8

// The ALTER TABLE actions. OtherAction is every action not listed; its
// Action.Keyword holds its first words.
const (
	OtherAction          ActionKind = iota
	AddColumn                       // ADD [COLUMN] definition
	DropColumn                      // DROP [COLUMN] name
	AlterColumnType                 // ALTER [COLUMN] c [SET DATA] TYPE t [USING e]
	SetNotNull                      // ALTER [COLUMN] c SET NOT NULL
	DropNotNull                     // ALTER [COLUMN] c DROP NOT NULL
	SetDefault                      // ALTER [COLUMN] c SET DEFAULT e
	DropDefault                     // ALTER [COLUMN] c DROP DEFAULT
	AlterColumnOther                // ALTER [COLUMN] c anything else (SET STATISTICS, ADD GENERATED, DROP IDENTITY, ...)
	AddConstraint                   // ADD [CONSTRAINT n] PRIMARY KEY | UNIQUE | FOREIGN KEY | CHECK | EXCLUDE
	ValidateConstraint              // VALIDATE CONSTRAINT n
	DropConstraint                  // DROP CONSTRAINT n, MySQL DROP CHECK n
	DropPrimaryKey                  // MySQL DROP PRIMARY KEY
	DropForeignKey                  // MySQL DROP FOREIGN KEY n
	RenameTo                        // RENAME [TO|AS] new
	RenameColumn                    // RENAME [COLUMN] a TO b
	RenameConstraint                // RENAME CONSTRAINT a TO b
	RenameIndex                     // MySQL RENAME {INDEX|KEY} a TO b
	ModifyColumn                    // MySQL MODIFY [COLUMN] definition
	ChangeColumn                    // MySQL CHANGE [COLUMN] old definition
	AddIndex                        // MySQL ADD {INDEX|KEY|FULLTEXT|SPATIAL} ...
	DropIndexAction                 // MySQL DROP {INDEX|KEY} n
	TableOption                     // MySQL ALGORITHM=, LOCK=, ENGINE=, ROW_FORMAT=, AUTO_INCREMENT=, [DEFAULT] CHARSET=, ...
	ConvertCharset                  // MySQL CONVERT TO CHARACTER SET x
	Force                           // MySQL FORCE
	SetLogged                       // SET LOGGED
	SetUnlogged                     // SET UNLOGGED
	SetTablespace                   // SET TABLESPACE x
	SetAccessMethod                 // SET ACCESS METHOD x
	SetSchema                       // SET SCHEMA x
	SetStorage                      // SET (param = value, ...)
	ResetStorage                    // RESET (param, ...)
	ReplicaIdentity                 // REPLICA IDENTITY {DEFAULT|FULL|NOTHING|USING INDEX i}
	AttachPartition                 // ATTACH PARTITION p ...
	DetachPartition                 // DETACH PARTITION p [CONCURRENTLY|FINALIZE]
	AddSystemVersioning             // MariaDB ADD SYSTEM VERSIONING
	DropSystemVersioning            // MariaDB DROP SYSTEM VERSIONING
)

var actionNames = [...]string{
	"OtherAction", "AddColumn", "DropColumn", "AlterColumnType", "SetNotNull", "DropNotNull",
	"SetDefault", "DropDefault", "AlterColumnOther", "AddConstraint", "ValidateConstraint",
	"DropConstraint", "DropPrimaryKey", "DropForeignKey", "RenameTo", "RenameColumn",
	"RenameConstraint", "RenameIndex", "ModifyColumn", "ChangeColumn", "AddIndex", "DropIndexAction",
	"TableOption", "ConvertCharset", "Force", "SetLogged", "SetUnlogged", "SetTablespace",
	"SetAccessMethod", "SetSchema", "SetStorage", "ResetStorage", "ReplicaIdentity",
	"AttachPartition", "DetachPartition", "AddSystemVersioning", "DropSystemVersioning",
}

func (k ActionKind) String() string {
	if int(k) < len(actionNames) {
		return actionNames[k]
	}
	return "ActionKind(" + strconv.Itoa(int(k)) + ")"
}

// Action is one action of ALTER TABLE.
type Action struct {
	Kind ActionKind
	Pos  Pos
	Text string // the action's source text
	// Keyword is the action's leading words in upper case ("ADD",
	// "ALTER COLUMN", "ENABLE TRIGGER", ...), for OtherAction above all.
	Keyword string

	// Column is the definition of AddColumn, ModifyColumn, ChangeColumn
	// (with FIRST/AFTER).
	Column *Column
	// ColumnName is the column acted on: DropColumn, AlterColumn*,
	// RenameColumn (old name), ChangeColumn (old name), ModifyColumn.
	ColumnName string
	// NewName is the new name of RenameTo, RenameColumn,
	// RenameConstraint, RenameIndex, and the schema of SetSchema.
	NewName string
	// Type is the new type of AlterColumnType, and Using its USING
	// expression.
	Type  *Type
	Using *Expr
	// Default is SetDefault's expression.
	Default *Expr
	// Constraint is AddConstraint's constraint.
	Constraint *Constraint
	// Name is the object named by ValidateConstraint, DropConstraint,
	// DropForeignKey, DropIndexAction, SetTablespace, SetAccessMethod,
	// ReplicaIdentity USING INDEX, AttachPartition, DetachPartition, and
	// the option name of TableOption (upper case).
	Name string
	// Value is the value of TableOption (upper case for ALGORITHM and
	// LOCK), ReplicaIdentity's mode (DEFAULT, FULL, NOTHING, INDEX), the
	// charset of ConvertCharset, DetachPartition's FINALIZE.
	Value string
	// Options are SetStorage/ResetStorage parameters.
	Options []Option
	// Index is AddIndex's index.
	Index *Index

	IfExists     bool
	IfNotExists  bool
	Cascade      bool
	Concurrently bool // DETACH PARTITION ... CONCURRENTLY
}

// AlterTableParts are the actions of ALTER TABLE, in order.
type AlterTableParts struct {
	Actions []*Action
}

// Has reports whether some action is of kind k.
func (a *AlterTableParts) Has(k ActionKind) bool {
	for _, x := range a.Actions {
		if x.Kind == k {
			return true
		}
	}
	return false
}

// Option returns the value of the table option name (upper case, e.g.
// "ALGORITHM", "LOCK") and whether it was given.
func (a *AlterTableParts) Option(name string) (string, bool) {
	for _, x := range a.Actions {
		if x.Kind == TableOption && x.Name == name {
			return x.Value, true
		}
	}
	return "", false
}

func (p *parser) alterTable() {
	st := p.st
	at := &AlterTableParts{}
	st.AlterTable = at
	if p.err != nil {
		return
	}
	if p.eof() {
		p.fail("expected an action after ALTER TABLE " + st.Name.String())
		return
	}
	for _, r := range p.splitTop(p.i, len(p.toks), 0) {
		q := p.sub(r[0], r[1])
		if q.eof() {
			p.failAt(r[0], "empty action in ALTER TABLE")
			return
		}
		// MySQL: ADD (a int, b int) adds several columns.
		if q.d.isMySQL() && (q.isSeq("ADD", "(") || q.isSeq("ADD", "COLUMN", "(")) {
			q.i++
			q.accept("COLUMN")
			d := q.cur().Depth
			from, to := q.skipGroup()
			for _, c := range q.splitTop(from, to, d+1) {
				cq := q.sub(c[0], c[1])
				a := &Action{Kind: AddColumn, Pos: cq.cur().Pos, Text: cq.span(0, len(cq.toks)), Keyword: "ADD"}
				a.Column = cq.column(true)
				if a.Column != nil {
					a.ColumnName = a.Column.Name
				}
				q.adopt(cq)
				at.Actions = append(at.Actions, a)
			}
			p.adopt(q)
			continue
		}
		a := &Action{Pos: q.cur().Pos, Text: q.span(0, len(q.toks))}
		q.action(a)
		if a.Kind == OtherAction {
			a.Keyword = q.leadingWords()
		}
		p.adopt(q)
		at.Actions = append(at.Actions, a)
		if p.err != nil {
			return
		}
	}
}

// action reads one ALTER TABLE action over all of p's tokens.
func (p *parser) action(a *Action) {
	// kw sets Keyword to the words consumed so far (n is their most).
	kw := func(n int) {
		var w []string
		for k := 0; k < n && k < p.i && k < len(p.toks) && p.toks[k].Kind == Word; k++ {
			w = append(w, strings.ToUpper(p.toks[k].Text))
		}
		a.Keyword = strings.Join(w, " ")
	}
	switch {
	case p.accept("ADD"):
		kw(1)
		p.actionAdd(a)
	case p.accept("DROP"):
		kw(1)
		p.actionDrop(a)
	case p.is("ALTER") || p.is("MODIFY") && p.d == PostgreSQL:
		p.i++
		kw(1)
		if p.is("CONSTRAINT") || p.is("INDEX") && p.d.isMySQL() || p.is("CHECK") {
			p.i++
			kw(2)
			return
		}
		p.accept("COLUMN")
		kw(2)
		p.actionAlterColumn(a)
	case p.accept("VALIDATE", "CONSTRAINT"):
		kw(2)
		a.Kind = ValidateConstraint
		a.Name = p.needIdent("constraint")
	case p.accept("RENAME"):
		kw(1)
		p.actionRename(a)
	case p.is("MODIFY") || p.is("CHANGE"):
		change := p.is("CHANGE")
		p.i++
		p.accept("COLUMN")
		kw(2)
		if p.accept("IF", "EXISTS") {
			a.IfExists = true
		}
		if change {
			a.Kind = ChangeColumn
			a.ColumnName = p.needIdent("column")
		} else {
			a.Kind = ModifyColumn
		}
		if p.err == nil {
			a.Column = p.column(true)
			if a.Column != nil && !change {
				a.ColumnName = a.Column.Name
			}
		}
	case p.accept("SET"):
		defer kw(2)
		switch {
		case p.accept("LOGGED"):
			a.Kind = SetLogged
		case p.accept("UNLOGGED"):
			a.Kind = SetUnlogged
		case p.accept("TABLESPACE"):
			a.Kind = SetTablespace
			a.Name = p.needIdent("tablespace")
		case p.accept("ACCESS", "METHOD"):
			a.Kind = SetAccessMethod
			a.Name = p.needIdent("access method")
		case p.accept("SCHEMA"):
			a.Kind = SetSchema
			a.NewName = p.needIdent("schema")
		case p.cur().IsPunct("("):
			a.Kind = SetStorage
			a.Options = p.params()
		}
	case p.accept("RESET"):
		kw(1)
		if p.cur().IsPunct("(") {
			a.Kind = ResetStorage
			a.Options = p.params()
		}
	case p.accept("REPLICA", "IDENTITY"):
		kw(2)
		a.Kind = ReplicaIdentity
		switch {
		case p.accept("USING", "INDEX"):
			a.Value = "INDEX"
			a.Name = p.needIdent("index")
		case p.is("DEFAULT"), p.is("FULL"), p.is("NOTHING"):
			a.Value = strings.ToUpper(p.cur().Text)
			p.i++
		default:
			p.fail("expected DEFAULT, FULL, NOTHING or USING INDEX" + p.found())
		}
	case p.accept("ATTACH", "PARTITION"):
		kw(2)
		a.Kind = AttachPartition
		if n, ok := p.name(); ok {
			a.Name = n.String()
		} else {
			p.fail("expected a partition name" + p.found())
		}
	case p.accept("DETACH", "PARTITION"):
		kw(2)
		a.Kind = DetachPartition
		if n, ok := p.name(); ok {
			a.Name = n.String()
		} else {
			p.fail("expected a partition name" + p.found())
			return
		}
		switch {
		case p.accept("CONCURRENTLY"):
			a.Concurrently = true
		case p.accept("FINALIZE"):
			a.Value = "FINALIZE"
		}
	case p.accept("FORCE"):
		kw(1)
		a.Kind = Force
	case p.accept("CONVERT", "TO"):
		kw(2)
		a.Kind = ConvertCharset
		if p.accept("CHARACTER", "SET") || p.accept("CHARSET") {
			a.Value = p.wordValue()
		}
	case p.d.isMySQL() && p.cur().Kind == Word && mysqlTableOption(p.cur().Text):
		a.Kind = TableOption
		o, _ := p.tableOption()
		kw(1)
		a.Name, a.Value = o.Name, o.Value
		if a.Name == "ALGORITHM" || a.Name == "LOCK" {
			a.Value = strings.ToUpper(a.Value)
		}
	default:
		p.i = len(p.toks)
		kw(2)
	}
}

// actionWords are the words that make up the keyword of actions the
// recogniser does not type (ENABLE ROW LEVEL SECURITY, SET WITHOUT
// CLUSTER, ...), so that Keyword holds no object name.
var actionWords = map[string]bool{
	"ADD": true, "DROP": true, "ALTER": true, "SET": true, "RESET": true, "ENABLE": true, "DISABLE": true,
	"FORCE": true, "NO": true, "ROW": true, "LEVEL": true, "SECURITY": true, "TRIGGER": true, "RULE": true,
	"REPLICA": true, "ALWAYS": true, "ALL": true, "USER": true, "WITHOUT": true, "WITH": true, "CLUSTER": true,
	"OIDS": true, "INHERIT": true, "OF": true, "NOT": true, "OWNER": true, "TO": true, "ON": true, "KEYS": true,
	"PARTITION": true, "PARTITIONING": true, "REMOVE": true, "BY": true, "ORDER": true, "CONSTRAINT": true,
	"INDEX": true, "CHECK": true, "PERIOD": true, "FOR": true, "DISCARD": true, "IMPORT": true,
	"TABLESPACE": true, "COALESCE": true, "REORGANIZE": true, "EXCHANGE": true, "ANALYZE": true,
	"CHECKSUM": true, "OPTIMIZE": true, "REBUILD": true, "REPAIR": true, "TRUNCATE": true, "UPGRADE": true,
}

// leadingWords returns the upper-case words at the start of p's tokens
// that are action keywords (at least the first word, at most four).
func (p *parser) leadingWords() string {
	var w []string
	for k, t := range p.toks {
		if k == 4 || t.Kind != Word || k > 0 && !actionWords[strings.ToUpper(t.Text)] {
			break
		}
		w = append(w, strings.ToUpper(t.Text))
	}
	return strings.Join(w, " ")
}

// mysqlTableOption reports whether w starts a MySQL table option in ALTER
// TABLE.
func mysqlTableOption(w string) bool {
	switch strings.ToUpper(w) {
	case "ALGORITHM", "LOCK", "ENGINE", "ROW_FORMAT", "AUTO_INCREMENT", "DEFAULT", "CHARSET",
		"CHARACTER", "COLLATE", "COMMENT", "KEY_BLOCK_SIZE", "AVG_ROW_LENGTH", "MAX_ROWS", "MIN_ROWS",
		"PACK_KEYS", "STATS_PERSISTENT", "STATS_AUTO_RECALC", "STATS_SAMPLE_PAGES", "CHECKSUM",
		"COMPRESSION", "ENCRYPTION", "PAGE_COMPRESSED", "TRANSACTIONAL", "INSERT_METHOD",
		"DELAY_KEY_WRITE", "DATA", "INDEX", "TABLESPACE", "UNION", "SECONDARY_ENGINE":
		return true
	}
	return false
}

func (p *parser) needIdent(what string) string {
	s, ok := p.ident()
	if !ok {
		p.fail("expected " + what + " name" + p.found())
	}
	return s
}

func (p *parser) actionAdd(a *Action) {
	switch {
	case p.is("CONSTRAINT"), p.is("PRIMARY"), p.is("FOREIGN"), p.is("CHECK"), p.is("EXCLUDE"),
		p.is("UNIQUE"):
		a.Kind = AddConstraint
		a.Constraint = p.constraint()
		return
	case p.d.isMySQL() && (p.is("INDEX") || p.is("KEY") || p.is("FULLTEXT") || p.is("SPATIAL")):
		a.Kind = AddIndex
		a.Index = p.mysqlIndex()
		a.IfNotExists = a.Index.IfNotExists
		if a.Index.Name.Pos != (Pos{}) {
			a.Name = a.Index.Name.Object()
		}
		return
	case p.accept("SYSTEM", "VERSIONING"):
		a.Kind = AddSystemVersioning
		return
	case p.is("PARTITION"), p.is("PERIOD"):
		a.Keyword = "ADD " + strings.ToUpper(p.cur().Text)
		return
	}
	p.accept("COLUMN")
	if p.accept("IF", "NOT", "EXISTS") {
		a.IfNotExists = true
	}
	a.Kind = AddColumn
	a.Column = p.column(true)
	if a.Column != nil {
		a.ColumnName = a.Column.Name
	}
}

func (p *parser) actionDrop(a *Action) {
	switch {
	case p.accept("CONSTRAINT"), p.d.isMySQL() && p.accept("CHECK"):
		a.Kind = DropConstraint
		if p.accept("IF", "EXISTS") {
			a.IfExists = true
		}
		a.Name = p.needIdent("constraint")
	case p.accept("PRIMARY", "KEY"):
		a.Kind = DropPrimaryKey
		return
	case p.accept("FOREIGN", "KEY"):
		a.Kind = DropForeignKey
		if p.accept("IF", "EXISTS") {
			a.IfExists = true
		}
		a.Name = p.needIdent("foreign key")
	case p.d.isMySQL() && (p.is("INDEX") || p.is("KEY")):
		p.i++
		a.Kind = DropIndexAction
		if p.accept("IF", "EXISTS") {
			a.IfExists = true
		}
		a.Name = p.needIdent("index")
	case p.accept("SYSTEM", "VERSIONING"):
		a.Kind = DropSystemVersioning
		return
	case p.is("PARTITION"), p.is("PERIOD"):
		a.Keyword = "DROP " + strings.ToUpper(p.cur().Text)
		return
	default:
		p.accept("COLUMN")
		a.Kind = DropColumn
		if p.accept("IF", "EXISTS") {
			a.IfExists = true
		}
		a.ColumnName = p.needIdent("column")
	}
	switch {
	case p.accept("CASCADE"):
		a.Cascade = true
	case p.accept("RESTRICT"):
	}
}

func (p *parser) actionAlterColumn(a *Action) {
	a.ColumnName = p.needIdent("column")
	if p.err != nil {
		return
	}
	a.Kind = AlterColumnOther
	switch {
	case p.accept("SET", "DATA", "TYPE"), p.accept("TYPE"):
		a.Kind = AlterColumnType
		if p.eof() {
			p.fail("expected a type" + p.found())
			return
		}
		a.Type = p.typ()
		for !p.eof() {
			switch {
			case p.accept("COLLATE"):
				p.wordValue()
			case p.accept("USING"):
				a.Using = p.exprOf(p.i, len(p.toks))
				p.i = len(p.toks)
			default:
				p.i++
			}
		}
	case p.accept("SET", "NOT", "NULL"):
		a.Kind = SetNotNull
	case p.accept("DROP", "NOT", "NULL"):
		a.Kind = DropNotNull
	case p.accept("SET", "DEFAULT"):
		a.Kind = SetDefault
		a.Default = p.expr()
	case p.accept("DROP", "DEFAULT"):
		a.Kind = DropDefault
	}
}

func (p *parser) actionRename(a *Action) {
	switch {
	case p.accept("TO"), p.accept("AS"):
		a.Kind = RenameTo
		if n, ok := p.name(); ok {
			a.NewName = n.Object()
		} else {
			p.fail("expected the new table name" + p.found())
		}
	case p.accept("CONSTRAINT"):
		a.Kind = RenameConstraint
		a.Name = p.needIdent("constraint")
		if p.expect("TO") {
			a.NewName = p.needIdent("constraint")
		}
	case p.d.isMySQL() && (p.is("INDEX") || p.is("KEY")):
		p.i++
		a.Kind = RenameIndex
		a.Name = p.needIdent("index")
		if p.expect("TO") {
			a.NewName = p.needIdent("index")
		}
	default:
		col := p.accept("COLUMN")
		n, ok := p.ident()
		if !ok {
			p.fail("expected a column name" + p.found())
			return
		}
		if !col && p.eof() && p.d.isMySQL() {
			// MySQL RENAME new_name.
			a.Kind = RenameTo
			a.NewName = n
			return
		}
		a.Kind = RenameColumn
		a.ColumnName = n
		if p.expect("TO") {
			a.NewName = p.needIdent("column")
		}
	}
}
