package schemagen

import "github.com/retortdb/retort/schema"

// tenanted is a table of one tenant: an identity primary key id, a
// tenant_id referring to tenant (ON DELETE CASCADE), then cols.
func tenanted(name string, cols ...schema.Column) *schema.Table {
	cols = append([]schema.Column{ref("tenant_id")}, cols...)
	return table(name, cols...).ForeignKey(schema.FK("tenant_id").References("tenant", "id").DeleteRule(schema.Cascade))
}

// refs adds a foreign key from col to table's id with ON DELETE a.
func refs(t *schema.Table, col, table string, a schema.Action) *schema.Table {
	return t.ForeignKey(schema.FK(col).References(table, "id").DeleteRule(a))
}

func str(name string, n int) schema.Column { return schema.Col(name, schema.String(n)) }

func flag(name string, v bool) schema.Column {
	return schema.Col(name, schema.Boolean()).Default(schema.Value(v))
}

func money(name string) schema.Column {
	return schema.Col(name, schema.Numeric(12, 2)).Default(schema.Value(0))
}

func when(name string) schema.Column { return schema.Col(name, schema.DateTime(true)).Nullable() }

// SaaS is a multi-tenant business application of 60 tables: tenants
// and their users, an organisation chart, billing, CRM, projects,
// support, documents, integrations and audit. It has named enum types,
// partial and expression indexes, self-referencing foreign keys
// (department, task, folder, task_comment) and cycles (tenant and
// app_user; department and employee; document and document_version),
// checks and comments.
func SaaS() *schema.Schema {
	tier := schema.EnumType{Name: "plan_tier", Values: []string{"free", "team", "business", "enterprise"}}
	subState := schema.EnumType{Name: "subscription_status", Values: []string{"trialing", "active", "past_due", "cancelled"}}
	invState := schema.EnumType{Name: "invoice_status", Values: []string{"draft", "open", "paid", "void"}}
	priority := schema.EnumType{Name: "ticket_priority", Values: []string{"low", "normal", "high", "urgent"}}
	ticketState := schema.EnumType{Name: "ticket_status", Values: []string{"new", "open", "pending", "solved", "closed"}}
	taskState := schema.EnumType{Name: "task_status", Values: []string{"todo", "doing", "blocked", "done"}}
	memberRole := schema.EnumType{Name: "member_role", Values: []string{"owner", "admin", "member", "guest"}}
	jobState := schema.EnumType{Name: "job_state", Values: []string{"queued", "running", "failed", "succeeded"}}

	var ts []*schema.Table
	add := func(t ...*schema.Table) { ts = append(ts, t...) }

	// Core.
	add(refs(table("tenant",
		str("slug", 63),
		str("name", 200),
		enumCol("tier", tier).Default(schema.Value("free")),
		ref("owner_id").Nullable().WithComment("the user who owns the tenant; cycle with app_user"),
		createdAt(),
		when("deleted_at"),
	).Unique("slug").Index(schema.IndexOn("created_at").Partial("deleted_at IS NULL")).
		WithComment("a customer organisation; every other row belongs to one"), "owner_id", "app_user", schema.SetNull))
	add(tenanted("app_user",
		str("email", 255),
		str("full_name", 200),
		str("password_hash", 100).Nullable(),
		flag("is_active", true),
		when("last_seen_at"),
		createdAt(),
	).Index(schema.IndexExpr("lower(email)").Also(schema.IndexPart{Column: "tenant_id"}).AsUnique().Named("app_user_email_ci")).
		Unique("tenant_id", "email"))
	add(tenanted("role", str("name", 60), str("description", 300).Nullable()).Unique("tenant_id", "name"))
	add(table("permission", str("code", 80), str("description", 300)).Unique("code"))
	add(refs(refs(schema.NewTable("role_permission", ref("role_id"), ref("permission_id")).PrimaryKey("role_id", "permission_id"),
		"role_id", "role", schema.Cascade), "permission_id", "permission", schema.Cascade))
	add(refs(refs(tenanted("membership", ref("user_id"), ref("role_id").Nullable(), enumCol("kind", memberRole).Default(schema.Value("member")), createdAt()),
		"user_id", "app_user", schema.Cascade), "role_id", "role", schema.SetNull).Unique("tenant_id", "user_id"))

	// Organisation: department is a tree, and cycles with employee.
	add(refs(refs(tenanted("department", ref("parent_id").Nullable(), ref("manager_id").Nullable(), str("name", 120)),
		"parent_id", "department", schema.Cascade), "manager_id", "employee", schema.SetNull).Unique("tenant_id", "name"))
	add(refs(refs(tenanted("employee", ref("user_id"), ref("department_id").Nullable(), str("title", 120).Nullable(), schema.Col("hired_on", schema.Date())),
		"user_id", "app_user", schema.Cascade), "department_id", "department", schema.SetNull).Unique("user_id"))
	add(tenanted("team", str("name", 120), str("color", 7).Default(schema.Value("#888888"))).Unique("tenant_id", "name"))
	add(refs(refs(schema.NewTable("team_member", ref("team_id"), ref("user_id"), flag("lead", false)).PrimaryKey("team_id", "user_id"),
		"team_id", "team", schema.Cascade), "user_id", "app_user", schema.Cascade))

	// Billing.
	add(table("plan", str("code", 40), enumCol("tier", tier), money("monthly_price"), schema.Col("seats", schema.Integer()).Nullable()).
		Unique("code").Check("price_nonnegative", "monthly_price >= 0"))
	add(refs(tenanted("subscription", ref("plan_id"), enumCol("status", subState).Default(schema.Value("trialing")),
		schema.Col("starts_on", schema.Date()), schema.Col("ends_on", schema.Date()).Nullable(), createdAt()),
		"plan_id", "plan", schema.Restrict).
		Index(schema.IndexOn("tenant_id").AsUnique().Partial("status <> 'cancelled'").Named("subscription_one_live")))
	add(refs(tenanted("invoice", ref("subscription_id").Nullable(), str("number", 30), enumCol("status", invState).Default(schema.Value("draft")),
		money("total"), schema.Col("due_on", schema.Date()).Nullable(), createdAt()),
		"subscription_id", "subscription", schema.SetNull).
		Unique("tenant_id", "number").Index(schema.IndexOn("due_on").Partial("status = 'open'")))
	add(refs(table("invoice_line", ref("invoice_id"), str("description", 300), schema.Col("quantity", schema.Integer()).Default(schema.Value(1)), money("amount")),
		"invoice_id", "invoice", schema.Cascade).Check("quantity_positive", "quantity > 0"))
	add(tenanted("payment_method", str("provider", 30), str("token", 200), str("last4", 4).Nullable(), flag("is_default", false)).
		Index(schema.IndexOn("tenant_id").AsUnique().Partial("is_default").Named("payment_method_one_default")))
	add(refs(refs(tenanted("payment", ref("invoice_id"), ref("method_id").Nullable(), money("amount"), str("reference", 100), createdAt()),
		"invoice_id", "invoice", schema.Cascade), "method_id", "payment_method", schema.SetNull).Unique("reference"))
	add(table("coupon", str("code", 40), schema.Col("percent_off", schema.SmallInteger()), when("expires_at")).
		Unique("code").Check("percent_range", "percent_off BETWEEN 1 AND 100"))
	add(refs(refs(table("coupon_redemption", ref("coupon_id"), ref("subscription_id"), createdAt()),
		"coupon_id", "coupon", schema.Restrict), "subscription_id", "subscription", schema.Cascade).Unique("coupon_id", "subscription_id"))

	// CRM.
	add(tenanted("company", str("name", 200), str("domain", 200).Nullable(), schema.Col("employees", schema.Integer()).Nullable(), createdAt()).
		Index(schema.IndexExpr("lower(name)")).Unique("tenant_id", "domain"))
	add(refs(tenanted("contact", ref("company_id").Nullable(), str("email", 255).Nullable(), str("full_name", 200), str("phone", 40).Nullable(), createdAt()),
		"company_id", "company", schema.SetNull).Index(schema.IndexOn("email").Partial("email IS NOT NULL")))
	add(tenanted("pipeline", str("name", 100), flag("is_default", false)).Unique("tenant_id", "name"))
	add(refs(tenanted("deal_stage", ref("pipeline_id"), str("name", 100), schema.Col("position", schema.SmallInteger()), schema.Col("probability", schema.SmallInteger()).Default(schema.Value(0))),
		"pipeline_id", "pipeline", schema.Cascade).Unique("pipeline_id", "position"))
	add(refs(refs(refs(tenanted("deal", ref("company_id").Nullable(), ref("stage_id"), ref("owner_id").Nullable(), str("title", 200), money("value"), schema.Col("closes_on", schema.Date()).Nullable()),
		"company_id", "company", schema.SetNull), "stage_id", "deal_stage", schema.Restrict), "owner_id", "app_user", schema.SetNull).
		Index(schema.IndexOn("owner_id", "closes_on")))
	add(refs(refs(tenanted("lead", ref("contact_id").Nullable(), ref("converted_deal_id").Nullable(), str("source", 60), schema.Col("score", schema.Integer()).Default(schema.Value(0)), createdAt()),
		"contact_id", "contact", schema.SetNull), "converted_deal_id", "deal", schema.SetNull).
		Index(schema.IndexOn("score").Partial("converted_deal_id IS NULL")))
	add(refs(refs(tenanted("activity", ref("deal_id").Nullable(), ref("contact_id").Nullable(), str("kind", 30), schema.Col("happened_at", schema.DateTime(true)), schema.Col("details", schema.Text()).Nullable()),
		"deal_id", "deal", schema.Cascade), "contact_id", "contact", schema.Cascade).Index(schema.IndexOn("tenant_id", "happened_at")))
	add(refs(refs(tenanted("note", ref("author_id"), ref("deal_id").Nullable(), schema.Col("body", schema.Text()), createdAt()),
		"author_id", "app_user", schema.Cascade), "deal_id", "deal", schema.Cascade))

	// Projects: task is a tree; task_comment threads.
	add(refs(tenanted("project", str("key", 10), str("name", 200), ref("lead_id").Nullable(), flag("archived", false), createdAt()),
		"lead_id", "app_user", schema.SetNull).Unique("tenant_id", "key").Index(schema.IndexOn("name").Partial("NOT archived")))
	add(refs(table("milestone", ref("project_id"), str("name", 120), schema.Col("due_on", schema.Date()).Nullable()), "project_id", "project", schema.Cascade))
	add(refs(refs(refs(table("task", ref("project_id"), ref("parent_id").Nullable(), ref("milestone_id").Nullable(), str("title", 300),
		enumCol("status", taskState).Default(schema.Value("todo")), schema.Col("estimate", schema.Numeric(6, 2)).Nullable(), createdAt()),
		"project_id", "project", schema.Cascade), "parent_id", "task", schema.Cascade), "milestone_id", "milestone", schema.SetNull).
		Index(schema.IndexOn("project_id", "status")).Index(schema.IndexOn("milestone_id").Partial("status <> 'done'")))
	add(refs(refs(schema.NewTable("task_assignee", ref("task_id"), ref("user_id"), createdAt()).PrimaryKey("task_id", "user_id"),
		"task_id", "task", schema.Cascade), "user_id", "app_user", schema.Cascade))
	add(refs(refs(refs(table("task_comment", ref("task_id"), ref("author_id"), ref("reply_to_id").Nullable(), schema.Col("body", schema.Text()), createdAt()),
		"task_id", "task", schema.Cascade), "author_id", "app_user", schema.Cascade), "reply_to_id", "task_comment", schema.Cascade))
	add(tenanted("label", str("name", 50), str("color", 7)).Unique("tenant_id", "name"))
	add(refs(refs(schema.NewTable("task_label", ref("task_id"), ref("label_id")).PrimaryKey("task_id", "label_id"),
		"task_id", "task", schema.Cascade), "label_id", "label", schema.Cascade))
	add(refs(refs(table("time_entry", ref("task_id"), ref("user_id"), schema.Col("minutes", schema.Integer()), schema.Col("spent_on", schema.Date()), flag("billable", true)),
		"task_id", "task", schema.Cascade), "user_id", "app_user", schema.Cascade).Check("minutes_positive", "minutes > 0"))

	// Support.
	add(tenanted("sla_policy", str("name", 100), enumCol("priority", priority), schema.Col("first_reply_minutes", schema.Integer())).Unique("tenant_id", "name", "priority"))
	add(refs(refs(refs(tenanted("ticket", ref("requester_id"), ref("assignee_id").Nullable(), ref("sla_id").Nullable(), str("subject", 300),
		enumCol("priority", priority).Default(schema.Value("normal")), enumCol("status", ticketState).Default(schema.Value("new")), createdAt(), when("solved_at")),
		"requester_id", "contact", schema.Cascade), "assignee_id", "app_user", schema.SetNull), "sla_id", "sla_policy", schema.SetNull).
		Index(schema.IndexOn("assignee_id", "priority").Partial("status IN ('new', 'open', 'pending')").Named("ticket_queue")).
		WithComment("a support request"))
	add(refs(refs(table("ticket_message", ref("ticket_id"), ref("author_id").Nullable(), schema.Col("body", schema.Text()), flag("internal", false), createdAt()),
		"ticket_id", "ticket", schema.Cascade), "author_id", "app_user", schema.SetNull))
	add(refs(schema.NewTable("ticket_tag", ref("ticket_id"), str("tag", 50)).PrimaryKey("ticket_id", "tag"), "ticket_id", "ticket", schema.Cascade).
		Index(schema.IndexOn("tag")))
	add(tenanted("canned_reply", str("title", 120), schema.Col("body", schema.Text()), schema.Col("uses", schema.Integer()).Default(schema.Value(0))).Unique("tenant_id", "title"))
	add(refs(table("satisfaction", ref("ticket_id"), schema.Col("score", schema.SmallInteger()), schema.Col("remark", schema.Text()).Nullable(), createdAt()),
		"ticket_id", "ticket", schema.Cascade).Unique("ticket_id").Check("score_range", "score BETWEEN 1 AND 5"))

	// Documents: folder is a tree; document and document_version cycle.
	add(refs(tenanted("folder", ref("parent_id").Nullable(), str("name", 200)), "parent_id", "folder", schema.Cascade).Unique("parent_id", "name"))
	add(refs(refs(refs(tenanted("document", ref("folder_id").Nullable(), ref("current_version_id").Nullable(), ref("owner_id"), str("title", 300), createdAt()),
		"folder_id", "folder", schema.SetNull), "current_version_id", "document_version", schema.SetNull), "owner_id", "app_user", schema.Cascade))
	add(refs(refs(table("document_version", ref("document_id"), schema.Col("number", schema.Integer()), ref("author_id").Nullable(), schema.Col("content", schema.Text()), createdAt()),
		"document_id", "document", schema.Cascade), "author_id", "app_user", schema.SetNull).Unique("document_id", "number"))
	add(refs(refs(table("attachment", ref("document_id").Nullable(), ref("ticket_id").Nullable(), str("filename", 255), schema.Col("bytes", schema.BigInteger()), str("sha256", 64)),
		"document_id", "document", schema.Cascade), "ticket_id", "ticket", schema.Cascade).Index(schema.IndexOn("sha256")))
	add(refs(table("share_link", ref("document_id"), schema.Col("token", schema.UUID()), when("expires_at"), flag("allow_edit", false)),
		"document_id", "document", schema.Cascade).Unique("token"))

	// Integrations.
	add(refs(tenanted("api_key", ref("created_by").Nullable(), str("prefix", 12), str("hash", 100), when("revoked_at"), createdAt()),
		"created_by", "app_user", schema.SetNull).Unique("prefix").Index(schema.IndexOn("tenant_id").Partial("revoked_at IS NULL").Named("api_key_live")))
	add(tenanted("webhook", str("url", 500), str("secret", 100), str("events", 500), flag("enabled", true)))
	add(refs(table("webhook_delivery", ref("webhook_id"), str("event", 60), schema.Col("payload", schema.JSON()), schema.Col("status_code", schema.SmallInteger()).Nullable(),
		schema.Col("attempts", schema.SmallInteger()).Default(schema.Value(0)), createdAt()),
		"webhook_id", "webhook", schema.Cascade).Index(schema.IndexOn("webhook_id", "created_at")))
	add(table("oauth_app", str("client_id", 64), str("name", 120), str("redirect_uri", 500), flag("trusted", false)).Unique("client_id"))
	add(refs(refs(table("oauth_token", ref("app_id"), ref("user_id"), str("access_hash", 100), schema.Col("expires_at", schema.DateTime(true)), str("scope", 300).Nullable()),
		"app_id", "oauth_app", schema.Cascade), "user_id", "app_user", schema.Cascade).Unique("access_hash"))

	// Audit and system.
	add(refs(tenanted("audit_log", ref("actor_id").Nullable(), str("action", 60), str("target_type", 60), ref("target_id").Nullable(),
		schema.Col("changes", schema.JSON()).Nullable(), createdAt()),
		"actor_id", "app_user", schema.SetNull).Index(schema.IndexOn("tenant_id", "created_at")).Index(schema.IndexOn("target_type", "target_id")).
		WithComment("append-only record of changes"))
	add(refs(table("session", ref("user_id"), str("token_hash", 100), str("ip", 45).Nullable(), str("user_agent", 300).Nullable(), createdAt(), schema.Col("expires_at", schema.DateTime(true))),
		"user_id", "app_user", schema.Cascade).Unique("token_hash"))
	add(table("login_attempt", str("email", 255), str("ip", 45), flag("succeeded", false), createdAt()).
		Index(schema.IndexExpr("lower(email)")).Index(schema.IndexOn("ip").Partial("NOT succeeded")))
	add(refs(tenanted("notification", ref("user_id"), str("kind", 40), schema.Col("body", schema.Text()), when("read_at"), createdAt()),
		"user_id", "app_user", schema.Cascade).Index(schema.IndexOn("user_id", "created_at").Partial("read_at IS NULL").Named("notification_unread")))
	add(refs(schema.NewTable("notification_pref", ref("user_id"), str("kind", 40), flag("email", true), flag("push", false)).PrimaryKey("user_id", "kind"),
		"user_id", "app_user", schema.Cascade))
	add(table("feature_flag", str("key", 80), flag("enabled", false), schema.Col("rollout_percent", schema.SmallInteger()).Default(schema.Value(0)), str("description", 300).Nullable()).
		Unique("key").WithComment("global switches"))

	// Misc.
	add(schema.NewTable("tenant_setting", ref("tenant_id"), str("key", 80), schema.Col("value", schema.Text()).Nullable().WithComment("JSON-encoded")).
		PrimaryKey("tenant_id", "key").ForeignKey(schema.FK("tenant_id").References("tenant", "id").DeleteRule(schema.Cascade)))
	add(refs(refs(tenanted("invitation", str("email", 255), ref("invited_by").Nullable(), ref("role_id").Nullable(), schema.Col("token", schema.UUID()), when("accepted_at"), createdAt()),
		"invited_by", "app_user", schema.SetNull), "role_id", "role", schema.SetNull).Unique("token").
		Index(schema.IndexExpr("lower(email)").Also(schema.IndexPart{Column: "tenant_id"}).AsUnique().Partial("accepted_at IS NULL").Named("invitation_pending")))
	add(tenanted("usage_record", str("metric", 60), schema.Col("quantity", schema.BigInteger()), schema.Col("period", schema.Date()), createdAt()).
		Unique("tenant_id", "metric", "period"))
	add(refs(tenanted("export_job", ref("requested_by").Nullable(), str("format", 10).Default(schema.Value("csv")), enumCol("state", jobState).Default(schema.Value("queued")),
		str("result_url", 500).Nullable(), createdAt(), when("finished_at")),
		"requested_by", "app_user", schema.SetNull).Index(schema.IndexOn("created_at").Partial("state IN ('queued', 'running')")))

	return &schema.Schema{
		Enums:  []schema.EnumType{tier, subState, invState, priority, ticketState, taskState, memberRole, jobState},
		Tables: ts,
	}
}
