package artifact

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// npm reads package.json.
func (m *metaCtx) npm() {
	const file = "package.json"
	p := m.pkg()
	p.Ecosystem = ecosystem.NPM
	data, ok := m.read(file)
	if !ok {
		if m.t.Lookup(file) == nil {
			m.bad(file, "missing")
		}
		return
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		m.bad(file, "%v", err)
		return
	}
	str := func(k string) string {
		var s string
		if raw, ok := doc[k]; ok && json.Unmarshal(raw, &s) != nil {
			m.bad(file, "%q is not a string", k)
		}
		return text(s)
	}
	p.Name, p.Version = str("name"), str("version")
	if p.Name == "" {
		m.bad(file, "no name")
	}
	p.Description, p.Homepage = str("description"), str("homepage")
	p.Repository = npmRepository(doc["repository"])
	if a, ok := npmPerson(doc["author"]); ok {
		p.Authors = []record.Person{a}
	}
	var list []json.RawMessage
	if json.Unmarshal(doc["maintainers"], &list) == nil {
		for _, raw := range list {
			if a, ok := npmPerson(raw); ok {
				p.Maintainers = append(p.Maintainers, a)
			}
		}
	}
	var kws []string
	var kw string
	switch {
	case json.Unmarshal(doc["keywords"], &kws) == nil:
		for _, k := range kws {
			if k = text(k); k != "" {
				p.Keywords = append(p.Keywords, k)
			}
		}
	case json.Unmarshal(doc["keywords"], &kw) == nil:
		p.Keywords = splitWords(kw)
	}
	if raw, ok := doc["scripts"]; ok {
		var scripts map[string]json.RawMessage
		if err := json.Unmarshal(raw, &scripts); err != nil {
			m.bad(file, "\"scripts\" is not an object")
		}
		for k, v := range scripts {
			var s string
			if json.Unmarshal(v, &s) == nil {
				m.setScript(k, s)
			}
		}
	}
	for _, k := range []string{"dependencies", "optionalDependencies"} {
		raw, ok := doc[k]
		if !ok {
			continue
		}
		deps, err := orderedStrings(raw)
		if err != nil {
			m.bad(file, "%q: %v", k, err)
		}
		for _, d := range deps {
			addDep(p, d[0], d[1])
		}
	}
	// npm runs "node-gyp rebuild" at install for a package with a
	// binding.gyp and no install or preinstall script of its own.
	var gyp bool
	noGyp := json.Unmarshal(doc["gypfile"], &gyp) == nil && !gyp
	if m.t.Lookup("binding.gyp") != nil && !noGyp && p.Scripts["install"] == "" && p.Scripts["preinstall"] == "" {
		m.setScript("install", "node-gyp rebuild")
	}
	m.readme(str("readmeFilename"))
	if p.Readme == "" {
		p.Readme = str("readme")
	}
}

func npmRepository(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return text(s)
	}
	var o struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return text(o.URL)
	}
	return ""
}

func npmPerson(raw json.RawMessage) (record.Person, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		p := parsePerson(s)
		return p, p != (record.Person{})
	}
	var o struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if json.Unmarshal(raw, &o) == nil {
		p := record.Person{Name: text(o.Name), Email: text(o.Email)}
		return p, p != (record.Person{})
	}
	return record.Person{}, false
}

// orderedStrings reads a JSON object of strings keeping its key order;
// values that are not strings read as "".
func orderedStrings(raw json.RawMessage) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	var out [][2]string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out, err
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out, err
		}
		var s string
		_ = json.Unmarshal(v, &s)
		out = append(out, [2]string{k, strings.TrimSpace(s)})
	}
	return out, nil
}
