package npm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Document is a package document ("packument") as the registry serves it
// with Accept: application/json: every version's metadata and the
// publication times. Decoding is lenient where real documents vary (a
// person may be a string or an object, a repository a string or an object,
// deprecated a string or a boolean) and skips values of the wrong type
// instead of failing, so one odd version does not hide the others.
type Document struct {
	Name        string             `json:"name"`
	Description string             `json:"description"`
	DistTags    map[string]string  `json:"dist-tags"`
	Versions    map[string]Version `json:"versions"`
	// Time maps each version to its publication time; "created" and
	// "modified" are the package's.
	Time        map[string]time.Time `json:"time"`
	Created     time.Time            `json:"-"`
	Modified    time.Time            `json:"-"`
	Maintainers []Person             `json:"maintainers"`
	Repository  Repository           `json:"repository"`
	Homepage    string               `json:"homepage"`
	Readme      string               `json:"readme"`
	// Unpublished is set when every version was unpublished (the registry
	// keeps a stub whose time.unpublished says when).
	Unpublished time.Time `json:"-"`
}

// Version is the metadata of one published version.
type Version struct {
	Name        string            `json:"name"`
	Version     string            `json:"version"`
	Description string            `json:"description"`
	Dist        Dist              `json:"dist"`
	Scripts     map[string]string `json:"scripts"`
	Repository  Repository        `json:"repository"`
	Homepage    string            `json:"homepage"`
	Maintainers []Person          `json:"maintainers"`
	// Publisher is the account that published this version (_npmUser).
	Publisher Person `json:"_npmUser"`
	// Deprecated is the deprecation message ("" when not deprecated).
	Deprecated string `json:"deprecated"`
	// GypFile: the package has a binding.gyp, so npm runs
	// "node-gyp rebuild" at install time when no install script is given.
	GypFile bool `json:"gypfile"`
	// HasInstallScript is the registry's own flag (abbreviated documents).
	HasInstallScript bool `json:"hasInstallScript"`
}

// Dist locates a version's tarball and says how to verify it.
type Dist struct {
	Tarball   string `json:"tarball"`
	Integrity string `json:"integrity"` // SRI: "sha512-<base64>" (may list several)
	Shasum    string `json:"shasum"`    // legacy hex sha1
}

// Person is a maintainer, author or publisher.
type Person struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// String is "name <email>", or whichever part is known.
func (p Person) String() string {
	switch {
	case p.Name != "" && p.Email != "":
		return p.Name + " <" + p.Email + ">"
	case p.Name != "":
		return p.Name
	}
	return p.Email
}

// Repository is a package's source repository.
type Repository struct {
	Type      string `json:"type,omitempty"`
	URL       string `json:"url,omitempty"`
	Directory string `json:"directory,omitempty"`
}

// Decode parses a packument. It fails only when data is not a JSON object
// or has no name; fields of unexpected types are skipped.
func Decode(data []byte) (*Document, error) {
	var raw struct {
		Name        json.RawMessage `json:"name"`
		Description json.RawMessage `json:"description"`
		DistTags    json.RawMessage `json:"dist-tags"`
		Versions    json.RawMessage `json:"versions"`
		Time        json.RawMessage `json:"time"`
		Maintainers json.RawMessage `json:"maintainers"`
		Repository  json.RawMessage `json:"repository"`
		Homepage    json.RawMessage `json:"homepage"`
		Readme      json.RawMessage `json:"readme"`
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, errors.New("packument is not a JSON object")
	}
	if err := lenientObject(data, &raw); err != nil {
		return nil, fmt.Errorf("packument: %w", err)
	}
	d := &Document{
		Name:        looseString(raw.Name),
		Description: looseString(raw.Description),
		Maintainers: people(raw.Maintainers),
		Repository:  repository(raw.Repository),
		Homepage:    looseString(raw.Homepage),
		Readme:      looseString(raw.Readme),
	}
	if d.Name == "" {
		return nil, errors.New("packument has no name")
	}
	var tags, times, versions map[string]json.RawMessage
	_ = lenientObject(raw.DistTags, &tags)
	_ = lenientObject(raw.Time, &times)
	_ = lenientObject(raw.Versions, &versions)
	for tag, v := range tags {
		if s := looseString(v); s != "" {
			if d.DistTags == nil {
				d.DistTags = map[string]string{}
			}
			d.DistTags[tag] = s
		}
	}
	for key, v := range times {
		if key == "unpublished" {
			var u struct {
				Time json.RawMessage `json:"time"`
			}
			if json.Unmarshal(v, &u) == nil {
				d.Unpublished, _ = parseTime(looseString(u.Time))
			}
			if d.Unpublished.IsZero() {
				d.Unpublished = time.Unix(0, 0).UTC()
			}
			continue
		}
		t, ok := parseTime(looseString(v))
		if !ok {
			continue
		}
		switch key {
		case "created":
			d.Created = t
		case "modified":
			d.Modified = t
		default:
			if d.Time == nil {
				d.Time = map[string]time.Time{}
			}
			d.Time[key] = t
		}
	}
	for key, v := range versions {
		ver, ok := decodeVersion(v)
		if !ok {
			continue
		}
		if ver.Version == "" {
			ver.Version = key
		}
		if d.Versions == nil {
			d.Versions = map[string]Version{}
		}
		d.Versions[key] = ver
	}
	return d, nil
}

// decodeVersion decodes one entry of "versions".
func decodeVersion(data json.RawMessage) (Version, bool) {
	var raw struct {
		Name             json.RawMessage `json:"name"`
		Version          json.RawMessage `json:"version"`
		Description      json.RawMessage `json:"description"`
		Dist             json.RawMessage `json:"dist"`
		Scripts          json.RawMessage `json:"scripts"`
		Repository       json.RawMessage `json:"repository"`
		Homepage         json.RawMessage `json:"homepage"`
		Maintainers      json.RawMessage `json:"maintainers"`
		NpmUser          json.RawMessage `json:"_npmUser"`
		Deprecated       json.RawMessage `json:"deprecated"`
		GypFile          json.RawMessage `json:"gypfile"`
		HasInstallScript json.RawMessage `json:"hasInstallScript"`
	}
	if err := lenientObject(data, &raw); err != nil {
		return Version{}, false
	}
	v := Version{
		Name:             looseString(raw.Name),
		Version:          looseString(raw.Version),
		Description:      looseString(raw.Description),
		Repository:       repository(raw.Repository),
		Homepage:         looseString(raw.Homepage),
		Maintainers:      people(raw.Maintainers),
		Deprecated:       deprecated(raw.Deprecated),
		GypFile:          looseBool(raw.GypFile),
		HasInstallScript: looseBool(raw.HasInstallScript),
	}
	if p := people(raw.NpmUser); len(p) > 0 {
		v.Publisher = p[0]
	}
	var dist map[string]json.RawMessage
	if lenientObject(raw.Dist, &dist) == nil {
		v.Dist = Dist{Tarball: looseString(dist["tarball"]), Integrity: looseString(dist["integrity"]), Shasum: looseString(dist["shasum"])}
	}
	var scripts map[string]json.RawMessage
	if lenientObject(raw.Scripts, &scripts) == nil {
		for k, s := range scripts {
			if str, ok := stringValue(s); ok {
				if v.Scripts == nil {
					v.Scripts = map[string]string{}
				}
				v.Scripts[k] = str
			}
		}
	}
	return v, true
}

// lenientObject unmarshals data into v when data is a JSON object.
func lenientObject(data json.RawMessage, v any) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return errors.New("not a JSON object")
	}
	return json.Unmarshal(data, v)
}

func stringValue(data json.RawMessage) (string, bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(data, &s) != nil {
		return "", false
	}
	return s, true
}

// looseString is the string in data, "" for any other JSON value.
func looseString(data json.RawMessage) string {
	s, _ := stringValue(data)
	return s
}

func looseBool(data json.RawMessage) bool {
	return string(bytes.TrimSpace(data)) == "true"
}

// deprecated reads "deprecated": a message, or true (no message).
func deprecated(data json.RawMessage) string {
	if s, ok := stringValue(data); ok {
		return s
	}
	if looseBool(data) {
		return "deprecated"
	}
	return ""
}

// people reads a list of persons, or a single one; each is an object with
// name and email or a string "Name <email> (url)".
func people(data json.RawMessage) []Person {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil
	}
	var items []json.RawMessage
	if data[0] == '[' {
		if json.Unmarshal(data, &items) != nil {
			return nil
		}
	} else {
		items = []json.RawMessage{data}
	}
	var out []Person
	for _, it := range items {
		var p Person
		if s, ok := stringValue(it); ok {
			p = parsePerson(s)
		} else {
			var o map[string]json.RawMessage
			if lenientObject(it, &o) != nil {
				continue
			}
			p = Person{Name: strings.TrimSpace(looseString(o["name"])), Email: strings.TrimSpace(looseString(o["email"]))}
		}
		if p != (Person{}) {
			out = append(out, p)
		}
	}
	return out
}

// parsePerson parses npm's person shorthand "Name <email> (url)".
func parsePerson(s string) Person {
	var p Person
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '<'); i >= 0 {
		rest := s[i+1:]
		if j := strings.IndexByte(rest, '>'); j >= 0 {
			p.Email = strings.TrimSpace(rest[:j])
		}
		s = s[:i]
	}
	p.Name = strings.TrimSpace(s)
	return p
}

// repository reads a repository given as an object or a string.
func repository(data json.RawMessage) Repository {
	if s, ok := stringValue(data); ok {
		return Repository{URL: strings.TrimSpace(s)}
	}
	var o map[string]json.RawMessage
	if lenientObject(data, &o) != nil {
		return Repository{}
	}
	return Repository{
		Type:      looseString(o["type"]),
		URL:       strings.TrimSpace(looseString(o["url"])),
		Directory: looseString(o["directory"]),
	}
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// Some mirrors write ISO 8601 without a zone: UTC.
		if t, err = time.Parse("2006-01-02T15:04:05.999999999", s); err != nil {
			return time.Time{}, false
		}
	}
	return t.UTC(), true
}

// Latest returns the version dist-tags.latest names, or failing that the
// most recently published version; "" when the document has no version.
func (d *Document) Latest() string {
	if v := d.DistTags["latest"]; v != "" {
		if _, ok := d.Versions[v]; ok {
			return v
		}
	}
	vs := d.ByTime()
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// ByTime returns the versions in order of publication, oldest first;
// versions without a time come first, ordered by name.
func (d *Document) ByTime() []string {
	out := make([]string, 0, len(d.Versions))
	for v := range d.Versions {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		ti, tj := d.Time[out[i]], d.Time[out[j]]
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return out[i] < out[j]
	})
	return out
}
