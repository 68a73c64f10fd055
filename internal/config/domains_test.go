package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

func TestDomains(t *testing.T) {
	c, err := Parse("p.yaml", []byte("domains:\n  - acme.com\n  - https://pkgs.acme.io/simple\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Domains) != 2 || c.Domains[0] != "acme.com" || c.Domains[1] != "https://pkgs.acme.io/simple" {
		t.Errorf("Domains = %q", c.Domains)
	}
	for _, tt := range []struct {
		doc, want string
		line      int
	}{
		{"domains:\n  - acme.com\n  - \"\"\n", "empty domain", 3},
		{"domains:\n  - \"acme .com\"\n", "space", 2},
		{"domains: [" + strings.Repeat("a", 254) + "]\n", "253", 1},
		{"domains: acme.com\n", "", 1},
		{"fail-on: high\ndomains:\n  - acme.com\n  - acme..com\n", "empty label", 4},
		{"domains:\n  - \"*.acme.com\"\n", "'*'", 2},
		{"brands:\n  - name: Acme\n    domains:\n      - acme.com\n      - acme..com\n", "brands: Acme: \"acme..com\": empty label", 5},
		{"brands:\n  - name: Acme\n    domains: [acme.com, \"acme!.com\"]\n", "brands: Acme", 3},
	} {
		_, err := Parse("p.yaml", []byte(tt.doc))
		var ie *record.InputError
		if !errors.As(err, &ie) || ie.File != "p.yaml" || !strings.Contains(ie.Msg, tt.want) || ie.Line != tt.line {
			t.Errorf("Parse(%q) = %v, want an error at line %d containing %q", tt.doc, err, tt.line, tt.want)
		}
	}
}

func TestBrands(t *testing.T) {
	c, err := Parse("p.yaml", []byte("brands:\n  - name: Acme\n    domains: [acme.com, acmecdn.net]\n    aliases: [acme]\n  - name: Orbit\n    domains: [orbit.dev]\n    word: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Brands) != 2 || c.Brands[0].Name != "Acme" || len(c.Brands[0].Domains) != 2 || c.Brands[0].Aliases[0] != "acme" || !c.Brands[1].Word {
		t.Errorf("Brands = %+v", c.Brands)
	}
	for _, bad := range []string{
		"brands:\n  - name: Acme\n",
		"brands:\n  - domains: [acme.com]\n",
		"brands:\n  - name: Acme\n    domains: [\"acme .com\"]\n",
	} {
		if _, err := Parse("p.yaml", []byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
