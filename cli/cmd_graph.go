package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

func cmdGraph() *command {
	c := &command{name: "graph", summary: "draw the revision graph", args: "[--format ascii|dot|mermaid]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		format := f.String("FORMAT", "ascii (default), dot (Graphviz) or mermaid", "--format")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "graph takes no arguments (got %q)", f.args[0])
		}
		g, err := e.loadGraph()
		if err != nil {
			return err
		}
		walk, err := g.Walk("base", nil)
		if err != nil {
			return err
		}
		var b strings.Builder
		switch *format {
		case "", "ascii":
			// Heads first, as history; each line shows what a revision
			// comes after, so branches and merges read off the arrows.
			for _, info := range walk {
				x := e.entry(info)
				mark := "o"
				switch {
				case info.IsMergePoint:
					mark = "M"
				case info.IsBranchPoint:
					mark = "B"
				case info.IsRealHead:
					mark = "@"
				}
				fmt.Fprintf(&b, "%s %s\n", mark, x.line(lineOpts{branches: true, doc: true}))
				if len(info.Down) > 0 {
					fmt.Fprintf(&b, "|   after %s", strings.Join(info.Down, ", "))
				} else {
					b.WriteString("|   base")
				}
				if len(info.DependsOn) > 0 {
					fmt.Fprintf(&b, "; depends on %s", strings.Join(info.DependsOn, ", "))
				}
				b.WriteString("\n")
			}
		case "dot":
			b.WriteString("digraph retort {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n")
			for _, info := range walk {
				label := info.ID
				if m := e.entry(info).message(); m != "" {
					label += "\\n" + dotEscape(m)
				}
				fmt.Fprintf(&b, "  %q [label=\"%s\"];\n", info.ID, label)
				for _, d := range info.Down {
					fmt.Fprintf(&b, "  %q -> %q;\n", info.ID, d)
				}
				for _, d := range info.DependsOn {
					fmt.Fprintf(&b, "  %q -> %q [style=dashed];\n", info.ID, d)
				}
			}
			b.WriteString("}\n")
		case "mermaid":
			b.WriteString("graph BT\n")
			for _, info := range walk {
				m := strings.NewReplacer(`"`, "'", "\n", " ").Replace(e.entry(info).message())
				fmt.Fprintf(&b, "  r_%s[\"%s<br/>%s\"]\n", mermaidID(info.ID), info.ID, m)
				for _, d := range info.Down {
					fmt.Fprintf(&b, "  r_%s --> r_%s\n", mermaidID(info.ID), mermaidID(d))
				}
				for _, d := range info.DependsOn {
					fmt.Fprintf(&b, "  r_%s -.-> r_%s\n", mermaidID(info.ID), mermaidID(d))
				}
			}
		default:
			return usagef(c.name, "unknown format %q (ascii, dot or mermaid)", *format)
		}
		_, err = io.WriteString(e.stdout, b.String())
		return err
	}
	return c
}

func dotEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func mermaidID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_%x_", r)
		}
	}
	return b.String()
}
