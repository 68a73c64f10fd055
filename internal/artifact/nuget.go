package artifact

import (
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// nuspecDoc is the part of a .nuspec read (element names match in any
// namespace: the schema namespace changed over the years).
type nuspecDoc struct {
	Metadata struct {
		ID          string `xml:"id"`
		Version     string `xml:"version"`
		Title       string `xml:"title"`
		Authors     string `xml:"authors"`
		Owners      string `xml:"owners"`
		Description string `xml:"description"`
		Summary     string `xml:"summary"`
		ProjectURL  string `xml:"projectUrl"`
		Tags        string `xml:"tags"`
		Readme      string `xml:"readme"`
		Repository  struct {
			URL string `xml:"url,attr"`
		} `xml:"repository"`
		Dependencies struct {
			Deps   []nuspecDep `xml:"dependency"`
			Groups []struct {
				Deps []nuspecDep `xml:"dependency"`
			} `xml:"group"`
		} `xml:"dependencies"`
	} `xml:"metadata"`
}

type nuspecDep struct {
	ID      string `xml:"id,attr"`
	Version string `xml:"version,attr"`
}

// nuget reads the .nuspec at the top of the package, and notes the
// PowerShell scripts (tools/install.ps1, init.ps1, uninstall.ps1) and
// MSBuild files (build*/…/*.targets, *.props) that run at install or
// build time.
func (m *metaCtx) nuget() {
	p := m.pkg()
	p.Ecosystem = ecosystem.NuGet
	for _, f := range m.t.Files {
		if nugetScript(f.Path) {
			m.setScript(f.Path, f.Path)
		}
	}
	specs := rootFiles(m.t, hasExt(".nuspec"))
	switch len(specs) {
	case 0:
		m.bad(".nuspec", "missing")
		return
	case 1:
	default:
		m.bad(specs[1], "more than one .nuspec; %s read", specs[0])
	}
	data, ok := m.read(specs[0])
	if !ok {
		return
	}
	var doc nuspecDoc
	data, utf16 := xmlToUTF8(data)
	dec := xml.NewDecoder(bytes.NewReader(data))
	// NuGet reads the .nuspec with .NET's XML reader, which honours a
	// UTF-16 byte order mark and the declared encoding.
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if utf16 && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return in, nil // already transcoded
		}
		return charset.NewReaderLabel(label, in)
	}
	if err := dec.Decode(&doc); err != nil {
		m.bad(specs[0], "%v", shortErr(err))
		return
	}
	md := doc.Metadata
	p.Name, p.Version = text(md.ID), text(md.Version)
	if p.Name == "" {
		m.bad(specs[0], "no <id>")
	}
	p.Description = text(md.Description)
	if p.Description == "" {
		p.Description = text(md.Summary)
	}
	p.Homepage, p.Repository = text(md.ProjectURL), text(md.Repository.URL)
	for _, a := range strings.Split(md.Authors, ",") {
		if a = text(a); a != "" {
			p.Authors = append(p.Authors, record.Person{Name: a})
		}
	}
	for _, o := range strings.Split(md.Owners, ",") {
		if o = text(o); o != "" {
			p.Maintainers = append(p.Maintainers, record.Person{Name: o})
		}
	}
	p.Keywords = splitWords(md.Tags)
	for _, d := range md.Dependencies.Deps {
		addDep(p, d.ID, d.Version)
	}
	for _, g := range md.Dependencies.Groups {
		for _, d := range g.Deps {
			addDep(p, d.ID, d.Version)
		}
	}
	m.readme(strings.ReplaceAll(text(md.Readme), `\`, "/"))
}

// xmlToUTF8 transcodes an XML document that starts with a UTF-16 byte
// order mark to UTF-8 (the output is at most 1.5 times the input).
func xmlToUTF8(data []byte) ([]byte, bool) {
	if !bytes.HasPrefix(data, []byte{0xff, 0xfe}) && !bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return data, false
	}
	out, _, err := transform.Bytes(unicode.BOMOverride(unicode.UTF8.NewDecoder()), data)
	if err != nil {
		return data, false
	}
	return out, true
}

// nugetScript reports whether a package path runs at install or build.
func nugetScript(p string) bool {
	l := strings.ToLower(p)
	switch l {
	case "tools/install.ps1", "tools/init.ps1", "tools/uninstall.ps1":
		return true
	}
	first, _, _ := strings.Cut(l, "/")
	switch first {
	case "build", "buildtransitive", "buildmultitargeting":
		ext := path.Ext(l)
		return ext == ".targets" || ext == ".props"
	}
	return false
}
