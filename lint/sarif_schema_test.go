package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The part of the SARIF 2.1.0 JSON schema (OASIS sarif-schema-2.1.0.json,
// JSON Schema draft-04) that covers what retort writes, restated from the
// specification as data: per definition its properties (each a type, a
// reference to another definition, an enumeration, a minimum, a format),
// the required ones, and additionalProperties: false, which the schema
// sets on each of these objects. A property the schema has and retort
// does not write may be left out; one retort writes must be here.

type schemaNode struct {
	typ      string // "object", "array", "string", "integer", "boolean"
	ref      string // a definition
	items    *schemaNode
	enum     []string
	min      *float64
	minItems int
	format   string // "uri", "uri-reference"
}

type schemaDef struct {
	props    map[string]schemaNode
	required []string
	// anyOfRequired: at least one of these is present (message: text or
	// id; physicalLocation: address or artifactLocation).
	anyOfRequired []string
}

func minOf(v float64) *float64 { return &v }

var (
	sarifLevels   = []string{"none", "note", "warning", "error"}
	mfmsNode      = schemaNode{ref: "multiformatMessageString"}
	sarifStrNode  = schemaNode{typ: "string"}
	sarifURINode  = schemaNode{typ: "string", format: "uri"}
	sarifIndexMin = minOf(-1)
)

var sarifSchema = map[string]schemaDef{
	"sarifLog": {
		props: map[string]schemaNode{
			"$schema":    sarifURINode,
			"version":    {typ: "string", enum: []string{"2.1.0"}},
			"runs":       {typ: "array", items: &schemaNode{ref: "run"}},
			"properties": {typ: "object"},
		},
		required: []string{"version", "runs"},
	},
	"run": {
		props: map[string]schemaNode{
			"tool":            {ref: "tool"},
			"results":         {typ: "array", items: &schemaNode{ref: "result"}},
			"columnKind":      {typ: "string", enum: []string{"utf16CodeUnits", "unicodeCodePoints"}},
			"language":        sarifStrNode,
			"defaultEncoding": sarifStrNode,
			"properties":      {typ: "object"},
		},
		required: []string{"tool"},
	},
	"tool": {
		props:    map[string]schemaNode{"driver": {ref: "toolComponent"}, "properties": {typ: "object"}},
		required: []string{"driver"},
	},
	"toolComponent": {
		props: map[string]schemaNode{
			"name":            sarifStrNode,
			"fullName":        sarifStrNode,
			"version":         sarifStrNode,
			"semanticVersion": sarifStrNode,
			"informationUri":  sarifURINode,
			"rules":           {typ: "array", items: &schemaNode{ref: "reportingDescriptor"}},
			"properties":      {typ: "object"},
		},
		required: []string{"name"},
	},
	"reportingDescriptor": {
		props: map[string]schemaNode{
			"id":                   sarifStrNode,
			"name":                 sarifStrNode,
			"shortDescription":     mfmsNode,
			"fullDescription":      mfmsNode,
			"help":                 mfmsNode,
			"helpUri":              sarifURINode,
			"defaultConfiguration": {ref: "reportingConfiguration"},
			"properties":           {typ: "object"},
		},
		required: []string{"id"},
	},
	"reportingConfiguration": {
		props: map[string]schemaNode{
			"enabled":    {typ: "boolean"},
			"level":      {typ: "string", enum: sarifLevels},
			"rank":       {typ: "number", min: sarifIndexMin},
			"parameters": {typ: "object"},
			"properties": {typ: "object"},
		},
	},
	"multiformatMessageString": {
		props:    map[string]schemaNode{"text": sarifStrNode, "markdown": sarifStrNode, "properties": {typ: "object"}},
		required: []string{"text"},
	},
	"message": {
		props: map[string]schemaNode{
			"text": sarifStrNode, "markdown": sarifStrNode, "id": sarifStrNode,
			"arguments":  {typ: "array", items: &sarifStrNode},
			"properties": {typ: "object"},
		},
		anyOfRequired: []string{"text", "id"},
	},
	"result": {
		props: map[string]schemaNode{
			"ruleId":     sarifStrNode,
			"ruleIndex":  {typ: "integer", min: sarifIndexMin},
			"kind":       {typ: "string", enum: []string{"notApplicable", "pass", "fail", "review", "open", "informational"}},
			"level":      {typ: "string", enum: sarifLevels},
			"message":    {ref: "message"},
			"locations":  {typ: "array", items: &schemaNode{ref: "location"}},
			"properties": {typ: "object"},
		},
		required: []string{"message"},
	},
	"location": {
		props: map[string]schemaNode{
			"id":               {typ: "integer", min: sarifIndexMin},
			"physicalLocation": {ref: "physicalLocation"},
			"message":          {ref: "message"},
			"properties":       {typ: "object"},
		},
	},
	"physicalLocation": {
		props: map[string]schemaNode{
			"artifactLocation": {ref: "artifactLocation"},
			"region":           {ref: "region"},
			"contextRegion":    {ref: "region"},
			"properties":       {typ: "object"},
		},
		anyOfRequired: []string{"address", "artifactLocation"},
	},
	"artifactLocation": {
		props: map[string]schemaNode{
			"uri":        {typ: "string", format: "uri-reference"},
			"uriBaseId":  sarifStrNode,
			"index":      {typ: "integer", min: sarifIndexMin},
			"properties": {typ: "object"},
		},
	},
	"region": {
		props: map[string]schemaNode{
			"startLine":   {typ: "integer", min: minOf(1)},
			"startColumn": {typ: "integer", min: minOf(1)},
			"endLine":     {typ: "integer", min: minOf(1)},
			"endColumn":   {typ: "integer", min: minOf(1)},
			"properties":  {typ: "object"},
		},
	},
}

// validateSARIF checks a value against a definition of sarifSchema and
// returns every violation, each with its JSON path.
func validateSARIF(v any, def, path string) []string {
	d, ok := sarifSchema[def]
	if !ok {
		return []string{path + ": unknown definition " + def}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: %s must be an object", path, def)}
	}
	var errs []string
	for _, k := range d.required {
		if _, ok := obj[k]; !ok {
			errs = append(errs, fmt.Sprintf("%s: %s lacks required %q", path, def, k))
		}
	}
	if len(d.anyOfRequired) > 0 && !slices.ContainsFunc(d.anyOfRequired, func(k string) bool { _, ok := obj[k]; return ok }) {
		errs = append(errs, fmt.Sprintf("%s: %s needs one of %v", path, def, d.anyOfRequired))
	}
	for k, pv := range obj {
		n, ok := d.props[k]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: %s has no property %q (additionalProperties is false)", path, def, k))
			continue
		}
		errs = append(errs, validateNode(pv, n, path+"."+k)...)
	}
	return errs
}

func validateNode(v any, n schemaNode, path string) []string {
	if n.ref != "" {
		return validateSARIF(v, n.ref, path)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	switch n.typ {
	case "object":
		if _, ok := v.(map[string]any); !ok {
			bad("must be an object")
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("must be an array")
			break
		}
		if len(a) < n.minItems {
			bad("has %d items, at least %d", len(a), n.minItems)
		}
		for i, it := range a {
			errs = append(errs, validateNode(it, *n.items, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("must be a string")
			break
		}
		if n.enum != nil && !slices.Contains(n.enum, s) {
			bad("%q is not one of %v", s, n.enum)
		}
		switch n.format {
		case "uri":
			if u, err := url.Parse(s); err != nil || !u.IsAbs() {
				bad("%q is not an absolute URI", s)
			}
		case "uri-reference":
			if _, err := url.Parse(s); err != nil || strings.ContainsAny(s, " \\") {
				bad("%q is not a URI reference", s)
			}
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok || n.typ == "integer" && f != float64(int64(f)) {
			bad("must be an %s", n.typ)
			break
		}
		if n.min != nil && f < *n.min {
			bad("%v is below the minimum %v", f, *n.min)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("must be a boolean")
		}
	}
	return errs
}

// TestLintSARIFSchema validates retort's SARIF output, with findings of
// every severity and the rules' reporting configurations (an opt-in rule
// among them), against the SARIF 2.1.0 schema's definitions above.
func TestLintSARIFSchema(t *testing.T) {
	res := sample(t)
	var buf bytes.Buffer
	if err := res.WriteSARIF(&buf); err != nil {
		t.Fatal(err)
	}
	var log any
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	for _, e := range validateSARIF(log, "sarifLog", "$") {
		t.Error(e)
	}
	levels := map[Severity]bool{}
	for _, f := range res.Findings {
		levels[f.Severity] = true
	}
	if !levels[Error] || !levels[Warning] || !levels[Info] {
		t.Errorf("the sample has severities %v: want an error, a warning and an info to validate each level", levels)
	}
	// An empty result validates too (results present and empty).
	buf.Reset()
	if err := (&Result{}).WriteSARIF(&buf); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	for _, e := range validateSARIF(log, "sarifLog", "$") {
		t.Error("empty result: " + e)
	}
}

// TestSARIFValidatorRejects: the validator finds what the schema forbids.
func TestSARIFValidatorRejects(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"wrong version", `{"version": "2.0.0", "runs": []}`, `"2.0.0" is not one of`},
		{"no runs", `{"version": "2.1.0"}`, `lacks required "runs"`},
		{"unknown property", `{"version": "2.1.0", "runs": [], "extra": 1}`, `no property "extra"`},
		{"driver without name", `{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`, `lacks required "name"`},
		{"bad level", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal", "message": {"text": "m"}}]}]}`, `"fatal" is not one of`},
		{"message without text", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {}}]}]}`, `needs one of [text id]`},
		{"line zero", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.sql"}, "region": {"startLine": 0}}}]}]}]}`, `below the minimum 1`},
		{"relative helpUri", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "R", "helpUri": "docs/lint.md"}]}}}]}`, `not an absolute URI`},
		{"enabled not boolean", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "R", "defaultConfiguration": {"enabled": "no"}}]}}}]}`, `must be a boolean`},
	} {
		var doc any
		if err := json.Unmarshal([]byte(tc.doc), &doc); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		errs := validateSARIF(doc, "sarifLog", "$")
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
			t.Errorf("%s: errors %v, want one containing %q", tc.name, errs, tc.want)
		}
	}
}
