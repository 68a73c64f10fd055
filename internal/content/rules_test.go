package content

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/record"
)

// want describes the finding of one rule: its severity, or none.
type want struct {
	rule string
	sev  record.Severity
	none bool
}

func sev(rule string, s record.Severity) want { return want{rule: rule, sev: s} }
func none(rule string) want                   { return want{rule: rule, none: true} }

type ruleCase struct {
	name string
	pkg  record.Package
	want []want
}

func runRuleCases(t *testing.T, a *Analyzer, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if tt.pkg.Name == "" {
				tt.pkg.Name = "pkg"
			}
			fs := a.Analyze(&tt.pkg)
			for _, w := range tt.want {
				f := find(fs, w.rule)
				switch {
				case w.none && f != nil:
					t.Errorf("%s fired: %s %s (evidence %v)", w.rule, f.Severity, f.Message, f.Evidence)
				case !w.none && f == nil:
					t.Errorf("%s did not fire; findings %v", w.rule, rules(fs))
				case !w.none && f.Severity != w.sev:
					t.Errorf("%s severity %s, want %s: %s", w.rule, f.Severity, w.sev, f.Message)
				}
			}
			for _, f := range fs {
				checkFinding(t, f)
			}
		})
	}
}

// checkFinding: every finding names its field and has a message.
func checkFinding(t *testing.T, f record.Finding) {
	t.Helper()
	if f.Message == "" || f.Evidence["field"] == nil || f.Confidence <= 0 || f.Confidence > 1 {
		t.Errorf("finding lacks message, field or confidence: %+v", f)
	}
}

func desc(s string) record.Package   { return record.Package{Description: s} }
func readme(s string) record.Package { return record.Package{Readme: s} }

func TestLureText(t *testing.T) {
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		// Fires.
		{"generator with verification bypass", desc("free robux generator no human verification"), []want{sev(RuleLure, record.High)}},
		{"free currency", desc("Get free Robux"), []want{sev(RuleLure, record.Medium)}},
		{"v-bucks leet", desc("FR33 V-BUCK$ generator 2024"), []want{sev(RuleLure, record.High)}},
		{"homoglyphs", desc("Frее Rоbuх gеnеrаtоr"), []want{sev(RuleLure, record.High)}},
		{"glued", desc("#freerobux #robuxgenerator"), []want{sev(RuleLure, record.High)}},
		{"glued words not split", desc("Freedom, freelance and freeware tools"), []want{none(RuleLure)}},
		{"followers", desc("Free Instagram followers and likes, no login"), []want{sev(RuleLure, record.High)}},
		{"tiktok followers", desc("TikTok followers free"), []want{sev(RuleLure, record.Medium)}},
		{"gift cards", desc("Amazon gift card generator no survey"), []want{sev(RuleLure, record.High)}},
		{"brand and cheat", desc("Roblox hack"), []want{sev(RuleLure, record.Low)}},
		{"coin master", desc("Coin Master free spins daily links"), []want{sev(RuleLure, record.Medium)}},
		{"mod apk", desc("CapCut Pro MOD APK download"), []want{sev(RuleLure, record.Medium)}},
		{"mod apk premium", desc("Spotify Premium MOD APK premium unlocked"), []want{sev(RuleLure, record.High)}},
		{"keywords", record.Package{Keywords: []string{"free robux", "robux generator"}}, []want{sev(RuleLure, record.High)}},
		{"name", record.Package{Name: "free-robux-generator-2024"}, []want{sev(RuleLure, record.High)}},
		{"repeated lures raise", readme("# Free Robux\n\nFree V-Bucks here.\n\nFree robux generator.\n\nGet free vbucks."), []want{sev(RuleLure, record.High)}},
		// Does not fire.
		{"lone hack", desc("A hack to make builds faster"), []want{none(RuleLure)}},
		{"hackathon", desc("Hackathon starter: free and open source boilerplate"), []want{none(RuleLure)}},
		{"lifehacks", desc("Lifehacks and growth hacking tips"), []want{none(RuleLure)}},
		{"cheat sheet", desc("Free Fortnite cheat sheet for builders"), []want{none(RuleLure)}},
		{"generator", desc("Static site generator, free and fast"), []want{none(RuleLure)}},
		{"roblox api", desc("Roblox API client: read a user's Robux balance and game passes"), []want{none(RuleLure)}},
		{"tiktok scraper", desc("TikTok scraper: followers, likes and views of any profile"), []want{none(RuleLure)}},
		{"gift card api", desc("Create and cancel Amazon digital gift cards with the Incentives API"), []want{none(RuleLure)}},
		{"negated", desc("This library cannot give you free Robux"), []want{none(RuleLure)}},
		{"far apart", desc("Free to use. This library reads many things about games, players, servers, and also in the end the Robux economy."), []want{none(RuleLure)}},
		{"only currency", desc("robux robux robux"), []want{none(RuleLure)}},
		{"casino word only", desc("Spin wheel component"), []want{none(RuleLure)}},
		{"defensive context", desc("Detects scam pages offering free robux generator no human verification"), []want{sev(RuleLure, record.Medium)}},
	})
}

func TestLureEvidence(t *testing.T) {
	fs := NewWithJudge(nil).Analyze(&record.Package{Name: "x", Description: "Get FREE R0BUX now!!! No human verification."})
	f := find(fs, RuleLure)
	if f == nil {
		t.Fatal("no lure finding")
	}
	matched, _ := f.Evidence["matched"].([]string)
	if len(matched) == 0 || !strings.Contains(matched[0], "FREE R0BUX") {
		t.Errorf("matched = %q, want the original spelling", matched)
	}
	if f.Evidence["field"] != "description" || !strings.Contains(f.Message, `"FREE R0BUX"`) {
		t.Errorf("finding = %+v", *f)
	}
	cats, _ := f.Evidence["categories"].([]string)
	if !contains(cats, "currency") || !contains(cats, "verify") {
		t.Errorf("categories = %q", cats)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestShortenerLink(t *testing.T) {
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		{"general alone is info", desc("Docs: https://bit.ly/abc"), []want{sev(RuleShortener, record.Info), none(RuleLure)}},
		{"subdomain", readme("[x](https://maps.app.goo.gl/abc)"), []want{sev(RuleShortener, record.Info)}},
		{"monetized alone is low", readme("[Download](https://linkvertise.com/123/x)"), []want{sev(RuleShortener, record.Low)}},
		{"homepage field", record.Package{Homepage: "https://tinyurl.com/abc"}, []want{sev(RuleShortener, record.Info)}},
		{"scheme-less in text", desc("see bit.ly/3xYz"), []want{sev(RuleShortener, record.Info)}},
		{"with lure", desc("Free robux: https://bit.ly/abc"), []want{sev(RuleShortener, record.Medium), sev(RuleLure, record.High)}},
		{"not a shortener", readme("[x](https://youtu.be/abc) [y](https://linktr.ee/me) [z](https://notbit.ly.example/)"), []want{none(RuleShortener)}},
	})
}

func TestParseIPHost(t *testing.T) {
	tests := []struct {
		host, ip, form string
		ok             bool
	}{
		{"93.184.216.34", "93.184.216.34", ipDotted, true},
		{"3232235777", "192.168.1.1", ipDecimal, true},
		{"0xC0A80101", "192.168.1.1", ipHex, true},
		{"0xc0.0xa8.1.1", "192.168.1.1", ipHex, true},
		{"0300.0250.01.01", "192.168.1.1", ipOctal, true},
		{"127.1", "127.0.0.1", ipShort, true},
		{"2001:db8::1", "2001:db8::1", ipV6, true},
		{"::ffff:1.2.3.4", "1.2.3.4", ipV6, true},
		{"256.1.1.1", "", "", false},
		{"1.2.3.4.5", "", "", false},
		{"08.1.1.1", "", "", false},
		{"example.com", "", "", false},
		{"v1.2", "", "", false},
		{"4294967296", "", "", false},
	}
	for _, tt := range tests {
		a, form, ok := parseIPHost(tt.host)
		if ok != tt.ok || (ok && (a.String() != tt.ip || form != tt.form)) {
			t.Errorf("parseIPHost(%q) = %v, %q, %v; want %s, %q, %v", tt.host, a, form, ok, tt.ip, tt.form, tt.ok)
		}
	}
}

func TestIPLink(t *testing.T) {
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		{"public ip", readme("[demo](http://93.184.216.34:8080/)"), []want{sev(RuleIPLink, record.Low)}},
		{"public ipv6", readme("<http://[2606:4700::1111]/>"), []want{sev(RuleIPLink, record.Low)}},
		{"decimal public", desc("http://1572395042/x"), []want{sev(RuleIPLink, record.Medium)}},
		{"hex public", readme("[x](http://0x5db8d822/)"), []want{sev(RuleIPLink, record.Medium)}},
		{"local plain ignored", readme("Open http://127.0.0.1:3000, http://192.168.1.2, http://[::1]/ or http://192.0.2.1/"), []want{none(RuleIPLink)}},
		{"local obfuscated is info", readme("SSRF bypass: http://0x7f000001/"), []want{sev(RuleIPLink, record.Info)}},
		{"with lure", desc("Free V-Bucks generator http://93.184.216.34/vb"), []want{sev(RuleIPLink, record.Medium), sev(RuleLure, record.High)}},
	})
}

func TestPunycodeLink(t *testing.T) {
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		{"mixed script", readme("[x](https://xn--rblox-hck-6yh1m.com/)"), []want{sev(RulePunycode, record.Medium)}},
		{"unicode host mixed", readme("[x](https://rоblox.com/)"), []want{sev(RulePunycode, record.Medium)}},
		{"whole lookalike", readme("[x](http://xn--80ak6aa92e.com/)"), []want{sev(RulePunycode, record.Medium)}},
		{"honest idn", readme("[x](https://xn--mnchen-3ya.de/) [y](http://xn--e1afmkfd.xn--p1ai/)"), []want{sev(RulePunycode, record.Info)}},
		{"invalid punycode", readme("[x](https://xn--ab--.com/)"), []want{sev(RulePunycode, record.Low)}},
		{"ascii", readme("[x](https://example.com/)"), []want{none(RulePunycode)}},
		{"with lure", readme("Free robux: [claim](https://xn--rblox-hck-6yh1m.com/)"), []want{sev(RulePunycode, record.Medium), sev(RuleLure, record.High)}},
	})
	fs := NewWithJudge(nil).Analyze(&record.Package{Name: "x", Readme: "[x](http://xn--80ak6aa92e.com/)"})
	f := find(fs, RulePunycode)
	if f == nil || f.Evidence["unicode"] != "аррӏе.com" || f.Evidence["punycode"] != "xn--80ak6aa92e.com" || !strings.Contains(f.Message, "U+0430") {
		t.Errorf("evidence = %+v", f)
	}
}

func TestLinkTextMismatch(t *testing.T) {
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		{"url text to other domain", readme("[https://pypi.org/project/x](https://evil.example/x)"), []want{sev(RuleMismatch, record.Medium)}},
		{"bare domain text", readme("[pypi.org](https://evil.example/x)"), []want{sev(RuleMismatch, record.Low)}},
		{"html anchor", readme(`<a href="https://evil.example/">https://www.npmjs.com/package/x</a>`), []want{sev(RuleMismatch, record.Medium)}},
		{"userinfo trick", desc("https://pypi.org@evil.example/x"), []want{sev(RuleMismatch, record.Medium)}},
		{"other suffix", readme("[https://npmjs.com/x](https://npmjs.org/x)"), []want{sev(RuleMismatch, record.Low)}},
		{"same registrable", readme("[https://npmjs.com/x](https://www.npmjs.com/package/x) [docs.example.com](https://example.com/docs)"), []want{none(RuleMismatch)}},
		{"wrapper carries text", readme("[github.com/a/b](https://pkg.go.dev/github.com/a/b) [https://yaml.org](https://web.archive.org/web/2020/https://yaml.org/)"), []want{none(RuleMismatch)}},
		{"file names", readme("[setup.py](https://github.com/a/b/blob/main/setup.py) [README.md](https://x.example/r) [main.rs](https://y.example/)"), []want{none(RuleMismatch)}},
		{"plain words", readme("[npm version](https://www.npmjs.com/package/x) [Documentation](https://evil.example)"), []want{none(RuleMismatch)}},
		{"image link", readme("[![pypi.org](https://i.example/x.png)](https://evil.example)"), []want{none(RuleMismatch)}},
		{"with lure", readme("Free robux codes: [https://www.roblox.com/redeem](https://evil.example/r)"), []want{sev(RuleMismatch, record.Medium), sev(RuleLure, record.High)}},
	})
}

// fakeJudge protects pypi.org and npmjs.com; "pypi-org.com" imitates one.
type fakeJudge struct {
	mu    sync.Mutex
	calls int
}

func (f *fakeJudge) Judge(s string) domain.Match {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	h := hostOf(s)
	if h == "" {
		h = s
	}
	m := domain.Match{Input: s, Host: h, Registrable: registrable(h)}
	switch m.Registrable {
	case "pypi.org", "npmjs.com", "npmjs.org":
		m.Official = true
		m.Brand = map[string]string{"pypi.org": "PyPI", "npmjs.com": "npm", "npmjs.org": "npm"}[m.Registrable]
	case "pypi-org.com":
		m.Target, m.Brand, m.Technique, m.Severity, m.Confidence = "pypi.org", "PyPI", "brand-keyword", record.High, 0.85
		m.Detail = "pypi-org.com puts PyPI's name in another domain"
	case "npmjs-cdn.com":
		m.Target, m.Brand, m.Technique, m.Severity, m.Confidence = "npmjs.com", "npm", "brand-keyword", record.Medium, 0.6
	}
	return m
}

func TestLookalikeLink(t *testing.T) {
	j := &fakeJudge{}
	runRuleCases(t, NewWithJudge(j), []ruleCase{
		{"alone in readme is capped at medium", readme("[docs](https://pypi-org.com/project/x)"), []want{sev(RuleLookalike, record.Medium)}},
		{"engine medium stays", readme("[cdn](https://npmjs-cdn.com/x)"), []want{sev(RuleLookalike, record.Medium)}},
		{"homepage keeps engine grade", record.Package{Homepage: "https://pypi-org.com/x"}, []want{sev(RuleLookalike, record.High)}},
		{"behind official text", readme("[https://pypi.org/project/x](https://pypi-org.com/project/x)"), []want{sev(RuleLookalike, record.High), sev(RuleMismatch, record.High)}},
		{"with lure", desc("Free robux: https://pypi-org.com/r"), []want{sev(RuleLookalike, record.High), sev(RuleLure, record.High)}},
		{"official is fine", readme("[x](https://pypi.org/project/x)"), []want{none(RuleLookalike)}},
		{"same brand other suffix", readme("[https://npmjs.com/x](https://npmjs.org/x)"), []want{none(RuleMismatch)}},
	})
	// Without a judge there are no lookalike findings; New(nil) is fine.
	fs := New(nil).Analyze(&record.Package{Name: "x", Homepage: "https://pypi-org.com/x"})
	if find(fs, RuleLookalike) != nil {
		t.Error("lookalike finding without a judge")
	}
	// The judge is asked once per host, and a bounded number of times.
	j.calls = 0
	var b strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "[https://pypi.org/%d](https://h%d.example/) ", i, i)
	}
	NewWithJudge(j).Analyze(&record.Package{Name: "x", Readme: b.String()})
	if j.calls > maxJudged {
		t.Errorf("judge called %d times, want at most %d", j.calls, maxJudged)
	}
}

func TestLinkDensity(t *testing.T) {
	many := "# List\n\n" + strings.Repeat("* [project](https://github.com/a/b)\n", 8)
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		{"awesome list is info", readme(many), []want{sev(RuleDensity, record.Info)}},
		{"prose with links", readme("This library parses YAML. " + strings.Repeat("It is fast and has many features described in [docs](https://x.example). ", 6)), []want{none(RuleDensity)}},
		{"few links", readme("[a](https://a.example) [b](https://b.example)"), []want{none(RuleDensity)}},
		{"badges only", readme(strings.Repeat("[![b](https://i.example/b.svg)](https://ci.example) ", 10)), []want{none(RuleDensity)}},
		{"with lure", readme("# Free Robux\n\n" + strings.Repeat("* [Free Robux](https://r.example/x)\n", 8)), []want{sev(RuleDensity, record.Low)}},
	})
}

func TestTrackingLink(t *testing.T) {
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		{"affiliate alone is info", readme("[shop](https://s.example/?aff_id=1&sub1=x)"), []want{sev(RuleTracking, record.Info)}},
		{"click id alone is info", readme("[x](https://s.example/?fbclid=abc)"), []want{sev(RuleTracking, record.Info)}},
		{"utm alone is nothing", readme("[x](https://s.example/?utm_source=npm&ref=readme)"), []want{none(RuleTracking)}},
		{"utm with lure is low", readme("Free V-Bucks generator: [x](https://s.example/?utm_source=npm)"), []want{sev(RuleTracking, record.Low)}},
	})
}

func TestCombination(t *testing.T) {
	runRuleCases(t, NewWithJudge(nil), []ruleCase{
		{"low lure plus shortener is medium", desc("Roblox hack https://bit.ly/x"), []want{sev(RuleLure, record.Medium), sev(RuleShortener, record.Medium)}},
		{"tracking lifts a low lure", desc("Roblox hack https://x.example/?aff_id=3"), []want{sev(RuleLure, record.Low), sev(RuleTracking, record.Low)}},
		{"defensive context is not raised by links", desc("Phishing detector: flags free robux generator pages like https://bit.ly/x"), []want{sev(RuleLure, record.Low)}},
		{"links alone stay weak", readme("[a](https://bit.ly/x) [b](http://93.184.216.34/) [c](https://s.example/?sub1=2)"), []want{sev(RuleShortener, record.Info), sev(RuleIPLink, record.Low), sev(RuleTracking, record.Info), none(RuleLure)}},
	})
}

func TestRulesCatalog(t *testing.T) {
	a := NewWithJudge(&fakeJudge{})
	cat := map[string]record.Severity{}
	for _, r := range a.Rules() {
		if r.Title == "" || r.Description == "" {
			t.Errorf("rule %s lacks a title or description", r.ID)
		}
		cat[r.ID] = r.Severity
	}
	for _, id := range []string{RuleLure, RuleShortener, RuleIPLink, RulePunycode, RuleMismatch, RuleLookalike, RuleDensity, RuleTracking, RuleTruncated} {
		if _, ok := cat[id]; !ok {
			t.Errorf("rule %s missing from the catalog", id)
		}
	}
	if a.Name() != "content" {
		t.Errorf("Name() = %q", a.Name())
	}
	// Every finding of the fixtures uses a catalogued id, at or below its
	// catalogued severity.
	for _, dir := range []string{"spam", "honest"} {
		for _, f := range fixtureFindings(t, a, dir) {
			max, ok := cat[f.Rule]
			if !ok || f.Severity > max {
				t.Errorf("finding %s %s not allowed by the catalog", f.Rule, f.Severity)
			}
		}
	}
}

func TestConcurrentAnalyze(t *testing.T) {
	a := NewWithJudge(&fakeJudge{})
	pkgs := []record.Package{
		{Name: "a", Description: "free robux generator https://bit.ly/x", Readme: "# Free V-Bucks\n\n[https://pypi.org/x](https://pypi-org.com/x)"},
		{Name: "b", Readme: "<!doctype html><a href='http://0x5db8d822/'>Free Nitro</a>"},
		{Name: "c", Description: "A static site generator"},
	}
	want := make([][]string, len(pkgs))
	for i := range pkgs {
		want[i] = rules(a.Analyze(&pkgs[i]))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 50; k++ {
				i := k % len(pkgs)
				if got := rules(a.Analyze(&pkgs[i])); strings.Join(got, ",") != strings.Join(want[i], ",") {
					t.Errorf("concurrent result %v, want %v", got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s)
	}
	f.Add("Free R0BUX generator no human verification", "fr33 v-buck$ https://bit.ly/x?aff=1")
	a := NewWithJudge(&fakeJudge{})
	f.Fuzz(func(t *testing.T, description, readme string) {
		fs := a.Analyze(&record.Package{Name: description, Description: description, Readme: readme, Homepage: description, Keywords: []string{readme}})
		catalog := map[string]bool{}
		for _, r := range a.Rules() {
			catalog[r.ID] = true
		}
		seen := map[string]bool{}
		for _, f := range fs {
			if !catalog[f.Rule] || seen[f.Rule] {
				t.Fatalf("unknown or repeated rule %q in %v", f.Rule, rules(fs))
			}
			seen[f.Rule] = true
			if f.Severity < record.Info || f.Severity > record.Critical || f.Message == "" {
				t.Fatalf("bad finding %+v", f)
			}
		}
	})
}
