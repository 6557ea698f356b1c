package proof

import (
	"strings"
)

// sqlStep is one migration of the SQL tools' corpus: the history of a
// small SaaS application (accounts, users, projects, tasks, comments,
// labels, billing, webhooks, an audit log…) as its team wrote it over
// two years. Up and Down are portable statements (without their
// terminating ";"), with {pk} and {ts} standing for the dialect's
// auto-increment primary key and date-time types; UpBy and DownBy
// replace them for one dialect. A statement holding a body (a
// PostgreSQL $$ function, a trigger's BEGIN ... END) is one statement
// whose inner semicolons belong to it: each tool's writer marks it as
// that tool's users do.
type sqlStep struct {
	Name         string
	Up, Down     []string
	UpBy, DownBy map[string][]string
	// NoTx runs the step outside a transaction (PostgreSQL's CREATE
	// INDEX CONCURRENTLY); the tools that have a marker for it get it on
	// every dialect.
	NoTx bool
	// Data is a data migration (INSERT reference rows, UPDATE
	// backfills): golang-migrate's folder leaves the down file out of
	// some of them, as its users often do.
	Data bool
}

// sqlTables is the number of tables the corpus leaves (every dialect).
const sqlTables = 19

// sqlTypes are the placeholders of the portable statements.
var sqlTypes = map[string]*strings.Replacer{
	"sqlite":   strings.NewReplacer("{pk}", "INTEGER PRIMARY KEY", "{ts}", "TIMESTAMP"),
	"postgres": strings.NewReplacer("{pk}", "BIGSERIAL PRIMARY KEY", "{ts}", "TIMESTAMP"),
	"mysql":    strings.NewReplacer("{pk}", "BIGINT AUTO_INCREMENT PRIMARY KEY", "{ts}", "DATETIME"),
}

// statements is the step's SQL of one direction for a dialect.
func (s sqlStep) statements(dialect string, up bool) []string {
	list, by := s.Down, s.DownBy
	if up {
		list, by = s.Up, s.UpBy
	}
	if o, ok := by[dialect]; ok {
		list = o
	}
	out := make([]string, len(list))
	for i, q := range list {
		out[i] = sqlTypes[dialect].Replace(q)
	}
	return out
}

// sqlCompound reports whether a statement has a body with semicolons
// of its own.
func sqlCompound(q string) bool {
	return strings.Contains(q, "$$") || strings.Contains(q, "\nBEGIN\n")
}

// The trigger bodies, per dialect: MariaDB and SQLite share the text of
// their BEGIN ... END triggers; PostgreSQL has a plpgsql function.
const (
	sqlTaskCountFunc = `CREATE FUNCTION tasks_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE projects SET task_count = task_count + 1 WHERE id = NEW.project_id;
        INSERT INTO audit_log (account_id, entity, entity_id, action, created_at)
            SELECT account_id, 'task', NEW.id, 'created', NEW.created_at FROM projects WHERE id = NEW.project_id;
        RETURN NEW;
    END IF;
    UPDATE projects SET task_count = task_count - 1 WHERE id = OLD.project_id;
    INSERT INTO audit_log (account_id, entity, entity_id, action, created_at)
        SELECT account_id, 'task', OLD.id, 'deleted', OLD.created_at FROM projects WHERE id = OLD.project_id;
    RETURN OLD;
END;
$$`
	sqlTaskCountIns = `CREATE TRIGGER tasks_count_ins AFTER INSERT ON tasks FOR EACH ROW
BEGIN
    UPDATE projects SET task_count = task_count + 1 WHERE id = NEW.project_id;
    INSERT INTO audit_log (account_id, entity, entity_id, action, created_at)
        SELECT account_id, 'task', NEW.id, 'created', NEW.created_at FROM projects WHERE id = NEW.project_id;
END`
	sqlTaskCountDel = `CREATE TRIGGER tasks_count_del AFTER DELETE ON tasks FOR EACH ROW
BEGIN
    UPDATE projects SET task_count = task_count - 1 WHERE id = OLD.project_id;
    INSERT INTO audit_log (account_id, entity, entity_id, action, created_at)
        SELECT account_id, 'task', OLD.id, 'deleted', OLD.created_at FROM projects WHERE id = OLD.project_id;
END`
	sqlCommentAuditFunc = `CREATE OR REPLACE FUNCTION comments_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    acct BIGINT;
BEGIN
    UPDATE users SET comment_count = comment_count + 1 WHERE id = NEW.author_id;
    SELECT p.account_id INTO acct FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = NEW.task_id;
    INSERT INTO audit_log (account_id, entity, entity_id, action, created_at)
        VALUES (acct, 'comment', NEW.id, 'created', NEW.created_at);
    RETURN NEW;
END;
$$`
	sqlCommentAudit = `CREATE TRIGGER comments_audit AFTER INSERT ON comments FOR EACH ROW
BEGIN
    UPDATE users SET comment_count = comment_count + 1 WHERE id = NEW.author_id;
    INSERT INTO audit_log (account_id, entity, entity_id, action, created_at)
        SELECT p.account_id, 'comment', NEW.id, 'created', NEW.created_at
        FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = NEW.task_id;
END`
)

// The routine of the last step: a plpgsql function, a MariaDB procedure
// with an IF block in its body, a SQLite trigger.
const (
	sqlArchiveFunc = `CREATE FUNCTION archive_done_tasks(cutoff DATE) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    moved integer;
BEGIN
    INSERT INTO archived_tasks (id, project_id, title, archived_on)
        SELECT id, project_id, title, cutoff FROM tasks
        WHERE status = 'done'
          AND id NOT IN (SELECT task_id FROM comments)
          AND id NOT IN (SELECT task_id FROM task_labels);
    GET DIAGNOSTICS moved = ROW_COUNT;
    DELETE FROM tasks WHERE id IN (SELECT id FROM archived_tasks);
    RETURN moved;
END;
$$`
	sqlArchiveProc = `CREATE PROCEDURE archive_done_tasks(IN cutoff DATE)
BEGIN
    IF cutoff IS NULL THEN
        SET cutoff = CURRENT_DATE;
    END IF;
    INSERT INTO archived_tasks (id, project_id, title, archived_on)
        SELECT id, project_id, title, cutoff FROM tasks
        WHERE status = 'done'
          AND id NOT IN (SELECT task_id FROM comments)
          AND id NOT IN (SELECT task_id FROM task_labels);
    DELETE FROM tasks WHERE id IN (SELECT id FROM archived_tasks);
END`
	sqlLabelsLower = `CREATE TRIGGER labels_lower AFTER INSERT ON labels FOR EACH ROW
BEGIN
    UPDATE labels SET name = lower(name) WHERE id = NEW.id;
END`
)

// sqlInvoices is the invoices table as SQLite rebuilds it to change the
// type of amount (SQLite has no ALTER COLUMN).
func sqlInvoices(name, amount string) string {
	return "CREATE TABLE " + name + ` (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL,
    amount ` + amount + ` NOT NULL,
    issued_on DATE NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    FOREIGN KEY (account_id) REFERENCES accounts (id)
)`
}

// sqlCorpus is the history, oldest first.
var sqlCorpus = []sqlStep{
	{Name: "create_accounts",
		Up: []string{`CREATE TABLE accounts (
    id {pk},
    name VARCHAR(200) NOT NULL,
    slug VARCHAR(100) NOT NULL,
    created_at {ts} NOT NULL
)`, "CREATE UNIQUE INDEX accounts_slug_key ON accounts (slug)"},
		Down: []string{"DROP TABLE accounts"}},
	{Name: "create_users",
		Up: []string{`CREATE TABLE users (
    id {pk},
    account_id BIGINT NOT NULL,
    email VARCHAR(255) NOT NULL,
    name VARCHAR(200),
    created_at {ts} NOT NULL,
    FOREIGN KEY (account_id) REFERENCES accounts (id)
)`, "CREATE UNIQUE INDEX users_email_key ON users (email)"},
		Down: []string{"DROP TABLE users"}},
	{Name: "create_projects",
		Up: []string{`CREATE TABLE projects (
    id {pk},
    account_id BIGINT NOT NULL,
    name VARCHAR(200) NOT NULL,
    created_at {ts} NOT NULL,
    FOREIGN KEY (account_id) REFERENCES accounts (id)
)`},
		Down: []string{"DROP TABLE projects"}},
	{Name: "create_tasks",
		Up: []string{`CREATE TABLE tasks (
    id {pk},
    project_id BIGINT NOT NULL,
    title VARCHAR(255) NOT NULL,
    done BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {ts} NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id)
)`, "CREATE INDEX tasks_project_id_idx ON tasks (project_id)"},
		Down: []string{"DROP TABLE tasks"}},
	{Name: "create_comments",
		Up: []string{`CREATE TABLE comments (
    id {pk},
    task_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at {ts} NOT NULL,
    FOREIGN KEY (task_id) REFERENCES tasks (id),
    FOREIGN KEY (author_id) REFERENCES users (id)
)`},
		Down: []string{"DROP TABLE comments"}},
	{Name: "create_tags",
		Up: []string{`CREATE TABLE tags (
    id {pk},
    account_id BIGINT NOT NULL,
    name VARCHAR(50) NOT NULL,
    FOREIGN KEY (account_id) REFERENCES accounts (id)
)`, "CREATE UNIQUE INDEX tags_account_name_key ON tags (account_id, name)"},
		Down: []string{"DROP TABLE tags"}},
	{Name: "create_task_tags",
		Up: []string{`CREATE TABLE task_tags (
    task_id BIGINT NOT NULL,
    tag_id BIGINT NOT NULL,
    PRIMARY KEY (task_id, tag_id),
    FOREIGN KEY (task_id) REFERENCES tasks (id),
    FOREIGN KEY (tag_id) REFERENCES tags (id)
)`},
		Down: []string{"DROP TABLE task_tags"}},
	{Name: "seed_demo_accounts", Data: true,
		Up: []string{`INSERT INTO accounts (name, slug, created_at) VALUES
    ('Acme', 'acme', '2023-01-05 09:00:00'),
    ('Globex', 'globex', '2023-01-06 10:30:00'),
    ('Initech', 'initech', '2023-01-09 08:15:00')`,
			`INSERT INTO users (account_id, email, name, created_at) VALUES
    (1, 'admin@acme.test', 'Ada', '2023-01-05 09:01:00'),
    (1, 'bob@acme.test', 'Bob', '2023-01-05 11:20:00'),
    (2, 'admin@globex.test', 'Grace', '2023-01-06 10:31:00'),
    (2, 'dan@globex.test', NULL, '2023-01-07 16:45:00'),
    (3, 'carol@initech.test', 'Carol', '2023-01-09 08:16:00')`,
			`INSERT INTO projects (account_id, name, created_at) VALUES
    (1, 'Website', '2023-01-05 09:05:00'),
    (1, 'Mobile app', '2023-01-12 14:00:00'),
    (2, 'Platform', '2023-01-06 11:00:00'),
    (3, 'Data migration', '2023-01-09 09:00:00')`},
		Down: []string{"DELETE FROM projects", "DELETE FROM users", "DELETE FROM accounts"}},
	{Name: "add_users_role",
		Up:   []string{"ALTER TABLE users ADD COLUMN role VARCHAR(20) NOT NULL DEFAULT 'member'"},
		Down: []string{"ALTER TABLE users DROP COLUMN role"}},
	{Name: "backfill_owner_role", Data: true,
		Up:   []string{"UPDATE users SET role = 'owner' WHERE email LIKE 'admin@%'"},
		Down: []string{"UPDATE users SET role = 'member' WHERE role = 'owner'"}},
	{Name: "create_audit_log",
		Up: []string{`CREATE TABLE audit_log (
    id {pk},
    account_id BIGINT,
    entity VARCHAR(50) NOT NULL,
    entity_id BIGINT NOT NULL,
    action VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL
)`, "CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id)"},
		Down: []string{"DROP TABLE audit_log"}},
	{Name: "add_tasks_due_on",
		Up:   []string{"ALTER TABLE tasks ADD COLUMN due_on DATE"},
		Down: []string{"ALTER TABLE tasks DROP COLUMN due_on"}},
	{Name: "add_projects_task_count",
		Up:   []string{"ALTER TABLE projects ADD COLUMN task_count INTEGER NOT NULL DEFAULT 0"},
		Down: []string{"ALTER TABLE projects DROP COLUMN task_count"}},
	{Name: "count_tasks_trigger",
		Up: []string{sqlTaskCountIns, sqlTaskCountDel},
		UpBy: map[string][]string{"postgres": {sqlTaskCountFunc,
			"CREATE TRIGGER tasks_count AFTER INSERT OR DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_count_change()"}},
		Down:   []string{"DROP TRIGGER tasks_count_del", "DROP TRIGGER tasks_count_ins"},
		DownBy: map[string][]string{"postgres": {"DROP TRIGGER tasks_count ON tasks", "DROP FUNCTION tasks_count_change()"}}},
	{Name: "seed_tasks", Data: true,
		Up: []string{`INSERT INTO tasks (project_id, title, done, due_on, created_at) VALUES
    (1, 'Write onboarding docs', FALSE, '2023-02-15', '2023-02-01 10:00:00'),
    (1, 'Fix login redirect', TRUE, NULL, '2023-02-02 09:30:00'),
    (1, 'Write pricing page', FALSE, '2023-03-01', '2023-02-03 15:00:00'),
    (2, 'Push notifications', FALSE, NULL, '2023-02-04 11:00:00'),
    (2, 'Fix crash on start', TRUE, NULL, '2023-02-05 08:45:00'),
    (3, 'Write API reference', FALSE, '2023-04-01', '2023-02-06 13:10:00'),
    (3, 'Rate limits', FALSE, NULL, '2023-02-07 17:00:00'),
    (4, 'Export legacy data', FALSE, '2023-02-28', '2023-02-08 10:20:00')`},
		Down: []string{"DELETE FROM tasks"}},
	{Name: "create_open_tasks_view",
		Up: []string{`CREATE VIEW open_tasks AS
SELECT t.id, t.title, p.name AS project_name
FROM tasks t JOIN projects p ON p.id = t.project_id
WHERE t.done = FALSE`},
		Down: []string{"DROP VIEW open_tasks"}},
	{Name: "index_tasks_due_on",
		Up:     []string{"CREATE INDEX tasks_due_on_idx ON tasks (due_on)"},
		Down:   []string{"DROP INDEX tasks_due_on_idx"},
		DownBy: map[string][]string{"mysql": {"DROP INDEX tasks_due_on_idx ON tasks"}}},
	{Name: "rename_comments_body",
		Up:   []string{"ALTER TABLE comments RENAME COLUMN body TO content"},
		Down: []string{"ALTER TABLE comments RENAME COLUMN content TO body"}},
	{Name: "create_plans",
		Up: []string{`CREATE TABLE plans (
    id {pk},
    code VARCHAR(30) NOT NULL,
    name VARCHAR(100) NOT NULL,
    price_cents INTEGER NOT NULL
)`, "CREATE UNIQUE INDEX plans_code_key ON plans (code)"},
		Down: []string{"DROP TABLE plans"}},
	{Name: "seed_plans", Data: true,
		Up: []string{`INSERT INTO plans (code, name, price_cents) VALUES
    ('free', 'Free', 0),
    ('team', 'Team', 2900),
    ('business', 'Business', 9900)`},
		Down: []string{"DELETE FROM plans WHERE code IN ('free', 'team', 'business')"}},
	{Name: "create_subscriptions",
		Up: []string{`CREATE TABLE subscriptions (
    id {pk},
    account_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    started_on DATE NOT NULL,
    FOREIGN KEY (account_id) REFERENCES accounts (id),
    FOREIGN KEY (plan_id) REFERENCES plans (id)
)`, "CREATE INDEX subscriptions_account_id_idx ON subscriptions (account_id)"},
		Down: []string{"DROP TABLE subscriptions"}},
	{Name: "add_accounts_plan_code",
		Up:   []string{"ALTER TABLE accounts ADD COLUMN plan_code VARCHAR(30) NOT NULL DEFAULT 'free'"},
		Down: []string{"ALTER TABLE accounts DROP COLUMN plan_code"}},
	{Name: "create_invoices",
		Up: []string{`CREATE TABLE invoices (
    id {pk},
    account_id BIGINT NOT NULL,
    amount INTEGER NOT NULL,
    issued_on DATE NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    FOREIGN KEY (account_id) REFERENCES accounts (id)
)`, "CREATE INDEX invoices_account_id_idx ON invoices (account_id)"},
		Down: []string{"DROP TABLE invoices"}},
	{Name: "seed_invoices", Data: true,
		Up: []string{`INSERT INTO invoices (account_id, amount, issued_on, status) VALUES
    (1, 2900, '2023-03-01', 'paid'),
    (1, 2900, '2023-04-01', 'paid'),
    (2, 9900, '2023-03-15', 'open'),
    (3, 0, '2023-03-20', 'void')`,
			"UPDATE accounts SET plan_code = 'team' WHERE slug = 'acme'",
			"UPDATE accounts SET plan_code = 'business' WHERE slug = 'globex'"},
		Down: []string{"DELETE FROM invoices", "UPDATE accounts SET plan_code = 'free'"}},
	{Name: "invoice_amount_decimal",
		Up: []string{"ALTER TABLE invoices ALTER COLUMN amount TYPE NUMERIC(12,2) USING amount / 100.0"},
		UpBy: map[string][]string{
			"mysql": {"ALTER TABLE invoices MODIFY amount DECIMAL(12,2) NOT NULL", "UPDATE invoices SET amount = amount / 100"},
			"sqlite": {sqlInvoices("invoices_new", "NUMERIC(12,2)"),
				"INSERT INTO invoices_new (id, account_id, amount, issued_on, status) SELECT id, account_id, amount / 100.0, issued_on, status FROM invoices",
				"DROP TABLE invoices",
				"ALTER TABLE invoices_new RENAME TO invoices",
				"CREATE INDEX invoices_account_id_idx ON invoices (account_id)"}},
		Down: []string{"ALTER TABLE invoices ALTER COLUMN amount TYPE INTEGER USING (amount * 100)::integer"},
		DownBy: map[string][]string{
			"mysql": {"UPDATE invoices SET amount = amount * 100", "ALTER TABLE invoices MODIFY amount INTEGER NOT NULL"},
			"sqlite": {sqlInvoices("invoices_old", "INTEGER"),
				"INSERT INTO invoices_old (id, account_id, amount, issued_on, status) SELECT id, account_id, CAST(amount * 100 AS INTEGER), issued_on, status FROM invoices",
				"DROP TABLE invoices",
				"ALTER TABLE invoices_old RENAME TO invoices",
				"CREATE INDEX invoices_account_id_idx ON invoices (account_id)"}}},
	{Name: "index_invoices_status",
		Up:     []string{"CREATE INDEX invoices_status_idx ON invoices (status)"},
		Down:   []string{"DROP INDEX invoices_status_idx"},
		DownBy: map[string][]string{"mysql": {"DROP INDEX invoices_status_idx ON invoices"}}},
	{Name: "create_api_tokens",
		Up: []string{`CREATE TABLE api_tokens (
    id {pk},
    user_id BIGINT NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    FOREIGN KEY (user_id) REFERENCES users (id)
)`, "CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash)"},
		Down: []string{"DROP TABLE api_tokens"}},
	{Name: "add_users_last_login_at",
		Up:   []string{"ALTER TABLE users ADD COLUMN last_login_at {ts}"},
		Down: []string{"ALTER TABLE users DROP COLUMN last_login_at"}},
	{Name: "rename_tags_to_labels",
		Up:   []string{"ALTER TABLE tags RENAME TO labels", "ALTER TABLE task_tags RENAME TO task_labels"},
		Down: []string{"ALTER TABLE task_labels RENAME TO task_tags", "ALTER TABLE labels RENAME TO tags"}},
	{Name: "seed_labels", Data: true,
		Up: []string{"INSERT INTO labels (account_id, name) SELECT id, 'bug' FROM accounts ORDER BY id",
			"INSERT INTO labels (account_id, name) SELECT id, 'feature' FROM accounts ORDER BY id"},
		Down: []string{"DELETE FROM labels WHERE name IN ('bug', 'feature')"}},
	{Name: "label_writing_tasks", Data: true,
		Up: []string{`INSERT INTO task_labels (task_id, tag_id)
SELECT t.id, l.id
FROM tasks t
JOIN projects p ON p.id = t.project_id
JOIN labels l ON l.account_id = p.account_id AND l.name = 'feature'
WHERE t.title LIKE 'Write%'`},
		Down: []string{"DELETE FROM task_labels"}},
	{Name: "index_comments_task_id", NoTx: true,
		Up:     []string{"CREATE INDEX comments_task_id_idx ON comments (task_id)"},
		UpBy:   map[string][]string{"postgres": {"CREATE INDEX CONCURRENTLY comments_task_id_idx ON comments (task_id)"}},
		Down:   []string{"DROP INDEX comments_task_id_idx"},
		DownBy: map[string][]string{"postgres": {"DROP INDEX CONCURRENTLY comments_task_id_idx"}, "mysql": {"DROP INDEX comments_task_id_idx ON comments"}}},
	{Name: "add_tasks_assignee",
		Up: []string{"ALTER TABLE tasks ADD COLUMN assignee_id BIGINT",
			"ALTER TABLE tasks ADD CONSTRAINT tasks_assignee_fk FOREIGN KEY (assignee_id) REFERENCES users (id)"},
		UpBy: map[string][]string{"sqlite": {"ALTER TABLE tasks ADD COLUMN assignee_id BIGINT REFERENCES users (id)"}},
		Down: []string{"ALTER TABLE tasks DROP CONSTRAINT tasks_assignee_fk", "ALTER TABLE tasks DROP COLUMN assignee_id"},
		DownBy: map[string][]string{
			"mysql":  {"ALTER TABLE tasks DROP FOREIGN KEY tasks_assignee_fk", "ALTER TABLE tasks DROP COLUMN assignee_id"},
			"sqlite": {"ALTER TABLE tasks DROP COLUMN assignee_id"}}},
	{Name: "backfill_task_assignees", Data: true,
		Up: []string{`UPDATE tasks SET assignee_id = (
    SELECT MIN(u.id) FROM users u JOIN projects p ON p.account_id = u.account_id WHERE p.id = tasks.project_id
)`},
		Down: []string{"UPDATE tasks SET assignee_id = NULL"}},
	{Name: "create_notifications",
		Up: []string{`CREATE TABLE notifications (
    id {pk},
    user_id BIGINT NOT NULL,
    kind VARCHAR(30) NOT NULL,
    payload TEXT,
    read_at {ts},
    created_at {ts} NOT NULL,
    FOREIGN KEY (user_id) REFERENCES users (id)
)`, "CREATE INDEX notifications_user_unread_idx ON notifications (user_id, read_at)"},
		Down: []string{"DROP TABLE notifications"}},
	{Name: "add_accounts_billing_email",
		Up:   []string{"ALTER TABLE accounts ADD COLUMN billing_email VARCHAR(255)"},
		Down: []string{"ALTER TABLE accounts DROP COLUMN billing_email"}},
	{Name: "backfill_billing_email", Data: true,
		Up: []string{`UPDATE accounts SET billing_email = (
    SELECT MIN(email) FROM users WHERE users.account_id = accounts.id AND users.role = 'owner'
)`},
		Down: []string{"UPDATE accounts SET billing_email = NULL"}},
	{Name: "open_tasks_with_assignee",
		Up: []string{"DROP VIEW open_tasks", `CREATE VIEW open_tasks AS
SELECT t.id, t.title, t.due_on, p.name AS project_name, u.email AS assignee_email
FROM tasks t
JOIN projects p ON p.id = t.project_id
LEFT JOIN users u ON u.id = t.assignee_id
WHERE t.done = FALSE`},
		Down: []string{"DROP VIEW open_tasks", `CREATE VIEW open_tasks AS
SELECT t.id, t.title, p.name AS project_name
FROM tasks t JOIN projects p ON p.id = t.project_id
WHERE t.done = FALSE`}},
	{Name: "create_project_members",
		Up: []string{`CREATE TABLE project_members (
    project_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    role VARCHAR(20) NOT NULL DEFAULT 'editor',
    PRIMARY KEY (project_id, user_id),
    FOREIGN KEY (project_id) REFERENCES projects (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
)`},
		Down: []string{"DROP TABLE project_members"}},
	{Name: "seed_project_members", Data: true,
		Up: []string{`INSERT INTO project_members (project_id, user_id, role)
SELECT p.id, u.id, CASE WHEN u.role = 'owner' THEN 'admin' ELSE 'editor' END
FROM projects p JOIN users u ON u.account_id = p.account_id`},
		Down: []string{"DELETE FROM project_members"}},
	{Name: "add_tasks_status",
		Up: []string{"ALTER TABLE tasks ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'open'",
			"UPDATE tasks SET status = 'done' WHERE done = TRUE"},
		Down: []string{"ALTER TABLE tasks DROP COLUMN status"}},
	{Name: "drop_tasks_done",
		Up: []string{"DROP VIEW open_tasks", `CREATE VIEW open_tasks AS
SELECT t.id, t.title, t.due_on, p.name AS project_name, u.email AS assignee_email
FROM tasks t
JOIN projects p ON p.id = t.project_id
LEFT JOIN users u ON u.id = t.assignee_id
WHERE t.status = 'open'`, "ALTER TABLE tasks DROP COLUMN done"},
		Down: []string{"ALTER TABLE tasks ADD COLUMN done BOOLEAN NOT NULL DEFAULT FALSE",
			"UPDATE tasks SET done = TRUE WHERE status = 'done'"}},
	{Name: "index_tasks_status",
		Up:     []string{"CREATE INDEX tasks_project_status_idx ON tasks (project_id, status)"},
		Down:   []string{"DROP INDEX tasks_project_status_idx"},
		DownBy: map[string][]string{"mysql": {"DROP INDEX tasks_project_status_idx ON tasks"}}},
	{Name: "create_webhooks",
		Up: []string{`CREATE TABLE webhooks (
    id {pk},
    account_id BIGINT NOT NULL,
    url VARCHAR(500) NOT NULL,
    secret VARCHAR(64) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {ts} NOT NULL,
    FOREIGN KEY (account_id) REFERENCES accounts (id)
)`},
		Down: []string{"DROP TABLE webhooks"}},
	{Name: "create_webhook_deliveries",
		Up: []string{`CREATE TABLE webhook_deliveries (
    id {pk},
    webhook_id BIGINT NOT NULL,
    event_name VARCHAR(50) NOT NULL,
    status_code INTEGER,
    delivered_at {ts},
    FOREIGN KEY (webhook_id) REFERENCES webhooks (id)
)`, "CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, delivered_at)"},
		Down: []string{"DROP TABLE webhook_deliveries"}},
	{Name: "comments_audit_trigger",
		Up: []string{"ALTER TABLE users ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0", sqlCommentAudit},
		UpBy: map[string][]string{"postgres": {"ALTER TABLE users ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0", sqlCommentAuditFunc,
			"CREATE TRIGGER comments_audit AFTER INSERT ON comments FOR EACH ROW EXECUTE FUNCTION comments_audit()"}},
		Down: []string{"DROP TRIGGER comments_audit", "ALTER TABLE users DROP COLUMN comment_count"},
		DownBy: map[string][]string{"postgres": {"DROP TRIGGER comments_audit ON comments", "DROP FUNCTION comments_audit()",
			"ALTER TABLE users DROP COLUMN comment_count"}}},
	{Name: "seed_first_comments", Data: true,
		Up: []string{`INSERT INTO comments (task_id, author_id, content, created_at)
SELECT t.id, t.assignee_id, 'On it.', '2023-06-01 12:00:00'
FROM tasks t
WHERE t.assignee_id IS NOT NULL AND t.status = 'open'
ORDER BY t.id`},
		Down: []string{"DELETE FROM comments WHERE content = 'On it.'"}},
	{Name: "rename_users_name",
		Up:   []string{"ALTER TABLE users RENAME COLUMN name TO display_name"},
		Down: []string{"ALTER TABLE users RENAME COLUMN display_name TO name"}},
	{Name: "add_tasks_priority",
		Up: []string{"ALTER TABLE tasks ADD COLUMN priority INTEGER NOT NULL DEFAULT 2",
			"CREATE INDEX tasks_priority_idx ON tasks (priority)",
			"UPDATE tasks SET priority = 1 WHERE due_on IS NOT NULL"},
		Down:   []string{"DROP INDEX tasks_priority_idx", "ALTER TABLE tasks DROP COLUMN priority"},
		DownBy: map[string][]string{"mysql": {"DROP INDEX tasks_priority_idx ON tasks", "ALTER TABLE tasks DROP COLUMN priority"}}},
	{Name: "create_saved_filters",
		Up: []string{`CREATE TABLE saved_filters (
    id {pk},
    user_id BIGINT NOT NULL,
    name VARCHAR(100) NOT NULL,
    definition TEXT NOT NULL,
    created_at {ts} NOT NULL,
    FOREIGN KEY (user_id) REFERENCES users (id)
)`},
		Down: []string{"DROP TABLE saved_filters"}},
	{Name: "create_archived_tasks",
		Up: []string{`CREATE TABLE archived_tasks (
    id BIGINT NOT NULL PRIMARY KEY,
    project_id BIGINT NOT NULL,
    title VARCHAR(255) NOT NULL,
    archived_on DATE NOT NULL
)`},
		Down: []string{"DROP TABLE archived_tasks"}},
	{Name: "archive_done_tasks", Data: true,
		Up: []string{`INSERT INTO archived_tasks (id, project_id, title, archived_on)
SELECT id, project_id, title, '2023-09-30' FROM tasks
WHERE status = 'done'
  AND id NOT IN (SELECT task_id FROM comments)
  AND id NOT IN (SELECT task_id FROM task_labels)`,
			`DELETE FROM tasks WHERE id IN (SELECT id FROM archived_tasks)`},
		Down: []string{`INSERT INTO tasks (id, project_id, title, status, created_at)
SELECT id, project_id, title, 'done', '2023-09-30 00:00:00' FROM archived_tasks`, "DELETE FROM archived_tasks"}},
	{Name: "drop_notifications_payload",
		Up:   []string{"ALTER TABLE notifications DROP COLUMN payload"},
		Down: []string{"ALTER TABLE notifications ADD COLUMN payload TEXT"}},
	{Name: "create_usage_counters",
		Up: []string{`CREATE TABLE usage_counters (
    account_id BIGINT NOT NULL,
    metric VARCHAR(50) NOT NULL,
    period_start DATE NOT NULL,
    amount BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, metric, period_start),
    FOREIGN KEY (account_id) REFERENCES accounts (id)
)`},
		Down: []string{"DROP TABLE usage_counters"}},
	{Name: "seed_usage_counters", Data: true,
		Up: []string{`INSERT INTO usage_counters (account_id, metric, period_start, amount)
SELECT a.id, 'tasks', '2023-10-01',
    (SELECT COUNT(*) FROM tasks t JOIN projects p ON p.id = t.project_id WHERE p.account_id = a.id)
FROM accounts a`},
		Down: []string{"DELETE FROM usage_counters WHERE metric = 'tasks'"}},
	{Name: "index_audit_log_created_at", NoTx: true,
		Up:     []string{"CREATE INDEX audit_log_created_at_idx ON audit_log (created_at)"},
		UpBy:   map[string][]string{"postgres": {"CREATE INDEX CONCURRENTLY audit_log_created_at_idx ON audit_log (created_at)"}},
		Down:   []string{"DROP INDEX audit_log_created_at_idx"},
		DownBy: map[string][]string{"postgres": {"DROP INDEX CONCURRENTLY audit_log_created_at_idx"}, "mysql": {"DROP INDEX audit_log_created_at_idx ON audit_log"}}},
	{Name: "rename_webhooks_url",
		Up:   []string{"ALTER TABLE webhooks RENAME COLUMN url TO target_url"},
		Down: []string{"ALTER TABLE webhooks RENAME COLUMN target_url TO url"}},
	{Name: "create_account_stats_view",
		Up: []string{`CREATE VIEW account_stats AS
SELECT a.id, a.name, COUNT(p.id) AS projects
FROM accounts a LEFT JOIN projects p ON p.account_id = a.id
GROUP BY a.id, a.name`},
		Down: []string{"DROP VIEW account_stats"}},
	{Name: "add_invoices_currency",
		Up: []string{"ALTER TABLE invoices ADD COLUMN currency CHAR(3) NOT NULL DEFAULT 'USD'",
			"UPDATE invoices SET currency = 'EUR' WHERE account_id IN (SELECT id FROM accounts WHERE slug = 'globex')"},
		Down: []string{"ALTER TABLE invoices DROP COLUMN currency"}},
	{Name: "add_labels_color",
		Up: []string{"ALTER TABLE labels ADD COLUMN color VARCHAR(7) NOT NULL DEFAULT '#888888'",
			"UPDATE labels SET color = '#d73a4a' WHERE name = 'bug'",
			"UPDATE labels SET color = '#a2eeef' WHERE name = 'feature'"},
		Down: []string{"ALTER TABLE labels DROP COLUMN color"}},
	{Name: "archive_routine",
		UpBy: map[string][]string{
			"postgres": {sqlArchiveFunc},
			"mysql":    {sqlArchiveProc},
			// SQLite has no stored routines: its app lower-cases label
			// names with a trigger instead.
			"sqlite": {sqlLabelsLower}},
		DownBy: map[string][]string{
			"postgres": {"DROP FUNCTION archive_done_tasks(DATE)"},
			"mysql":    {"DROP PROCEDURE archive_done_tasks"},
			"sqlite":   {"DROP TRIGGER labels_lower"}}},
}
