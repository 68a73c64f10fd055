package alert

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// Payload is an alert as a Slack incoming-webhook message: a plain
// `text` (the notification's fallback) and `blocks` of mrkdwn sections,
// plus the alert itself under `pkgward` for receivers that are not
// Slack (an extension of Slack's format).
type Payload struct {
	Text    string  `json:"text"`
	Blocks  []Block `json:"blocks"`
	Pkgward Alert   `json:"pkgward"`
}

// Block is one Slack layout block.
type Block struct {
	Type string `json:"type"` // "section"
	Text *Text  `json:"text,omitempty"`
}

// Text is a Slack text object.
type Text struct {
	Type string `json:"type"` // "mrkdwn"
	Text string `json:"text"`
}

// maxSection is Slack's limit on a section's text.
const maxSection = 3000

// Body returns an alert's JSON payload. Every string that came from a
// package or a campaign is escaped for Slack (&, <, >: no mention, no
// link of the package's choosing) and stripped of control characters
// (no forged lines).
func Body(a Alert) ([]byte, error) {
	return json.Marshal(payload(a))
}

func payload(a Alert) Payload {
	p := Payload{Pkgward: a}
	switch {
	case a.Kind == KindBlock && a.Package != nil:
		pk := a.Package
		id := pk.Name
		if pk.Version != "" {
			id += "@" + pk.Version
		}
		p.Text = fmt.Sprintf("pkgward blocked %s %s", esc(string(pk.Ecosystem)), esc(id))
		head := fmt.Sprintf("*pkgward blocked* %s `%s` (source %s)\nDashboard: `%s`",
			clipEsc(string(pk.Ecosystem), fieldRunes), clipEsc(id, fieldRunes), clipEsc(pk.Source, fieldRunes), clipEsc(a.Path, fieldRunes))
		p.Blocks = append(p.Blocks, section(head))
		lines := make([]string, 0, len(pk.Findings))
		for _, f := range pk.Findings {
			lines = append(lines, fmt.Sprintf("• `%s` %s", clipEsc(f.Rule, fieldRunes/2), clipEsc(f.Message, fieldRunes)))
		}
		if b := bullets(lines, pk.MoreFindings, "findings"); b != "" {
			p.Blocks = append(p.Blocks, section(b))
		}
	case a.Kind == KindCampaign && a.Campaign != nil:
		c := a.Campaign
		p.Text = fmt.Sprintf("pkgward: new campaign %s, %d packages", esc(c.ID), c.Size)
		head := fmt.Sprintf("*pkgward: new campaign* `%s`: %d packages, confidence %.2f\nDashboard: `%s`",
			clipEsc(c.ID, fieldRunes), c.Size, c.Confidence, clipEsc(a.Path, fieldRunes))
		p.Blocks = append(p.Blocks, section(head))
		lines := make([]string, 0, len(c.Indicators))
		for _, s := range c.Indicators {
			lines = append(lines, "• "+clipEsc(s, fieldRunes))
		}
		if b := bullets(lines, 0, "indicators"); b != "" {
			p.Blocks = append(p.Blocks, section(b))
		}
	default:
		p.Text = "pkgward alert " + esc(string(a.Kind))
		p.Blocks = append(p.Blocks, section(p.Text))
	}
	return p
}

// fieldRunes bounds one escaped field in a section, so that a section's
// fields (a head holds four) stay under maxSection and section never has
// to cut one, which could cut a code span open.
const fieldRunes = 600

// clipEsc escapes s for Slack and clips the result to n runes, never
// inside an entity (&amp; …), ending with "…" when it clipped.
func clipEsc(s string, n int) string {
	e := esc(s)
	r := []rune(e)
	if len(r) <= n {
		return e
	}
	e = string(r[:n-1])
	if amp := strings.LastIndexByte(e, '&'); amp > strings.LastIndexByte(e, ';') {
		e = e[:amp]
	}
	return e + "…"
}

// bullets joins lines while they fit in a section, then says how many
// more there are (more counts those already left out).
func bullets(lines []string, more int, what string) string {
	var b strings.Builder
	for i, l := range lines {
		if b.Len()+len(l)+64 > maxSection {
			more += len(lines) - i
			break
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if more > 0 {
		fmt.Fprintf(&b, "… and %d more %s\n", more, what)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func section(s string) Block {
	if r := []rune(s); len(r) > maxSection {
		s = string(r[:maxSection-1]) + "…"
	}
	return Block{Type: "section", Text: &Text{Type: "mrkdwn", Text: s}}
}

// esc escapes untrusted text for Slack: its three control characters
// become entities, a backtick a quote, and control characters
// (newlines, bidi overrides…) spaces.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '`':
			// Our code spans hold untrusted names: none ends early.
			b.WriteByte('\'')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
