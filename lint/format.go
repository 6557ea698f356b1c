package lint

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats are the output formats of WriteFormat.
var formats = []string{"text", "json", "github", "sarif"}

// Formats returns the names of the output formats.
func Formats() []string { return append([]string(nil), formats...) }

// Write writes the result in format (one of Formats).
func (r *Result) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		return r.WriteText(w)
	case "json":
		return r.WriteJSON(w)
	case "github":
		return r.WriteGitHub(w)
	case "sarif":
		return r.WriteSARIF(w)
	}
	return fmt.Errorf("unknown format %q: use %s", format, strings.Join(formats, ", "))
}

// Summary is the counts of findings, as "2 errors, 1 warning, 0 infos".
func (r *Result) Summary() string {
	return fmt.Sprintf("%s, %s, %s", plural(r.Count(Error), "error"), plural(r.Count(Warning), "warning"), plural(r.Count(Info), "info"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// WriteText writes one block per finding: where, severity, code and
// rule, the message (with the dialects that gave it, when not all those
// linted did), the statement and the safe alternative; then the counts.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	traces := sortTraces(r.Trace)
	for _, f := range r.Findings {
		n := 0
		for n < len(traces) && traceBefore(&traces[n], &f) {
			n++
		}
		writeTrace(&b, traces[:n])
		traces = traces[n:]
		fmt.Fprintf(&b, "%s:%d: %s %s %s: %s", f.File, f.Line, f.Severity, f.Code, f.Rule, f.Message)
		if len(f.Dialects) > 0 && len(f.Dialects) < len(r.Dialects) {
			fmt.Fprintf(&b, " [%s]", strings.Join(f.Dialects, ", "))
		}
		b.WriteByte('\n')
		if f.Statement != "" {
			fmt.Fprintf(&b, "    %s\n", f.Statement)
		}
		if f.Safe != "" {
			fmt.Fprintf(&b, "    safe: %s\n", f.Safe)
		}
	}
	writeTrace(&b, traces)
	if line := r.SkippedLine(); line != "" {
		fmt.Fprintf(&b, "%s\n", line)
	}
	if line := r.SkippedStateLine(); line != "" {
		fmt.Fprintf(&b, "%s\n", line)
	}
	fmt.Fprintf(&b, "%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// SkippedLine is the info line on the rules skipped for want of a
// server version, or "" when none was.
func (r *Result) SkippedLine() string {
	if len(r.Skipped) == 0 {
		return ""
	}
	return fmt.Sprintf("info: %s skipped: no server version; set lint.server_version or a URL (%s)",
		plural(len(r.Skipped), "rule"), strings.Join(r.Skipped, ", "))
}

// NoStateServer is the general reason for a missing schema state, the
// one SkippedStateLine gives when Result.StateMissing is "".
const NoStateServer = "lint replays earlier revisions on a scratch database (set dev_url or a URL)"

// SkippedStateLine is the info line on the rules skipped for want of
// the schema state before a revision, or "" when none was.
func (r *Result) SkippedStateLine() string {
	if len(r.SkippedState) == 0 {
		return ""
	}
	why := r.StateMissing
	if why == "" {
		why = NoStateServer
	}
	return fmt.Sprintf("info: %s skipped: no schema state; %s (%s)",
		plural(len(r.SkippedState), "rule"), why, strings.Join(r.SkippedState, ", "))
}

// WriteJSON writes one JSON document: the findings and the counts.
func (r *Result) WriteJSON(w io.Writer) error {
	fs := r.Findings
	if fs == nil {
		fs = []Finding{}
	}
	doc := struct {
		Findings []Finding `json:"findings"`
		Errors   int       `json:"errors"`
		Warnings int       `json:"warnings"`
		Infos    int       `json:"infos"`
		Skipped  []string  `json:"skipped_rules,omitempty"`
		NoState  []string  `json:"skipped_rules_no_state,omitempty"`
		NoWhy    string    `json:"no_state_reason,omitempty"`
		Trace    []Trace   `json:"trace,omitempty"`
	}{fs, r.Count(Error), r.Count(Warning), r.Count(Info), r.Skipped, r.SkippedState, "", r.Trace}
	if len(r.SkippedState) > 0 {
		doc.NoWhy = cmp.Or(r.StateMissing, NoStateServer)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteGitHub writes GitHub Actions workflow commands, one per finding,
// which the runner shows as annotations on the pull request's files:
// ::error file=F,line=L,title=RT301 create-index-not-concurrently::message.
// An info is a notice.
func (r *Result) WriteGitHub(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		level := map[Severity]string{Error: "error", Warning: "warning", Info: "notice"}[f.Severity]
		msg := f.Message
		if f.Safe != "" {
			msg += "\nSafe alternative: " + f.Safe
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,title=%s::%s\n", level,
			escapeProperty(f.File), max(f.Line, 1), escapeProperty(f.Code+" "+f.Rule), escapeData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// SARIF 2.1.0, the parts retort writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		Name             string       `json:"name"`
		ShortDescription sarifText    `json:"shortDescription"`
		FullDescription  sarifText    `json:"fullDescription"`
		HelpURI          string       `json:"helpUri"`
		Default          sarifDefault `json:"defaultConfiguration"`
	}
	// sarifDefault is a rule's reportingConfiguration: an opt-in rule
	// (off by default) is written enabled: false.
	sarifDefault struct {
		Enabled *bool  `json:"enabled,omitempty"`
		Level   string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		Physical sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		Artifact sarifArtifact `json:"artifactLocation"`
		Region   sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
)

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "note"
	}
	return "none"
}

// WriteSARIF writes a SARIF 2.1.0 log (for code scanning): every rule
// in tool.driver.rules, one result per finding.
func (r *Result) WriteSARIF(w io.Writer) error {
	rules := Rules()
	index := map[string]int{}
	drv := sarifDriver{Name: "retort lint", InformationURI: "https://github.com/retortdb/retort/blob/main/docs/lint.md"}
	for i, ru := range rules {
		index[ru.Code] = i
		def := sarifDefault{Level: sarifLevel(ru.Severity)}
		if ru.Severity == Off {
			off := false
			def = sarifDefault{Enabled: &off, Level: "note"}
		}
		drv.Rules = append(drv.Rules, sarifRule{ID: ru.Code, Name: ru.Name, ShortDescription: sarifText{ru.Summary},
			FullDescription: sarifText{ru.Doc.What}, HelpURI: ru.HelpURI(), Default: def})
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		msg := f.Message
		if f.Safe != "" {
			msg += ". Safe alternative: " + f.Safe
		}
		results = append(results, sarifResult{RuleID: f.Code, RuleIndex: index[f.Code], Level: sarifLevel(f.Severity), Message: sarifText{msg},
			Locations: []sarifLocation{{sarifPhysical{sarifArtifact{f.File}, sarifRegion{max(f.Line, 1)}}}}})
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{drv}, Results: results}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
