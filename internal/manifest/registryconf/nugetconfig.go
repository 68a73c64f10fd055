package registryconf

import (
	"context"
	"encoding/xml"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/xmltext"
)

// nugetConfig reads nuget.config files (any case, as NuGet finds them).
//
// Every <add key="…" value="URL"/> of <packageSources> is a source (local
// folders are skipped); <clear/> drops the sources inherited from the user's
// and machine's configuration, which otherwise include nuget.org, and
// <disabledPackageSources> turns sources off. NuGet searches every enabled
// source for every package, so, unless <packageSourceMapping> binds
// packages to sources: with one source in effect it is the registry; with
// several, the one keyed nuget.org (else the first listed) is the registry
// and the others are extra indexes; an inherited nuget.org counts as a
// source in effect. With packageSourceMapping, a source mapped to pattern
// "*" is a registry and the others are scope registries.
//
// In <packageSourceCredentials>, ClearTextPassword is a credential (its
// value withheld unless it is a %VARIABLE% reference) and Password an
// encrypted credential. Signature settings are not read: accept, NuGet's
// default signatureValidationMode, switches nothing off.
type nugetConfig struct{}

func (nugetConfig) Name() string          { return "config/nuget.config" }
func (nugetConfig) Matches(p string) bool { return strings.EqualFold(path.Base(p), "nuget.config") }

// nugetDocument describes nuget.config, which nests four levels.
var nugetDocument = xmltext.Document{Root: "configuration", Files: "nuget.config", MaxDepth: 64}

type nugetSource struct {
	key, value string
	line       int
}

func (nugetConfig) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	dec, err := xmltext.NewDecoder(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	var (
		stack    []string // element names, lower case
		names    []string // element names as written
		sources  []nugetSource
		clear    bool
		disabled = map[string]bool{}
		mapping  = map[string][]string{} // source key (lower case) → patterns
		mapped   bool
		mapKey   string
		b        = &builder{eco: ecosystem.NuGet, file: in.Path}
	)
	err = dec.Walk(ctx, nugetDocument, func(tok xml.Token, line, _ int) error {
		switch t := tok.(type) {
		case xml.EndElement:
			stack, names = stack[:len(stack)-1], names[:len(names)-1]
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			stack, names = append(stack, name), append(names, t.Name.Local)
			key, value := attr(t, "key"), attr(t, "value")
			switch {
			case len(stack) == 3 && stack[1] == "packagesources" && name == "add":
				if key == "" {
					return manifest.Errorf(in.Path, line, "package source without a key")
				}
				if strings.Contains(value, "://") {
					sources = append(sources, nugetSource{key, value, line})
				}
			case len(stack) == 3 && stack[1] == "packagesources" && name == "clear":
				clear = true
				sources = nil // sources listed before <clear/> are dropped too
			case len(stack) == 3 && stack[1] == "disabledpackagesources" && name == "add":
				disabled[strings.ToLower(key)] = strings.EqualFold(strings.TrimSpace(value), "true")
			case len(stack) == 3 && stack[1] == "packagesourcemapping" && name == "packagesource":
				mapped, mapKey = true, strings.ToLower(key)
			case len(stack) == 4 && stack[1] == "packagesourcemapping" && name == "package":
				mapping[mapKey] = append(mapping[mapKey], attr(t, "pattern"))
			case len(stack) == 4 && stack[1] == "packagesourcecredentials" && name == "add":
				cred := "packageSourceCredentials." + decodeNuGetName(names[2]) + "." + key
				switch strings.ToLower(key) {
				case "cleartextpassword":
					b.addCredential(line, cred, value)
				case "password":
					if strings.TrimSpace(value) != "" {
						b.out = append(b.out, Setting{Ecosystem: ecosystem.NuGet, File: in.Path, Line: line, Kind: Credential, Key: cred, Secret: SecretEncrypted})
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	var enabled []nugetSource
	for _, s := range sources {
		if !disabled[strings.ToLower(s.key)] {
			enabled = append(enabled, s)
		}
	}
	registry := -1 // index in enabled of the default source
	inEffect := len(enabled)
	for i, s := range enabled {
		if strings.EqualFold(s.key, "nuget.org") {
			registry = i
		}
	}
	if registry < 0 && !clear && !disabled["nuget.org"] {
		inEffect++ // the inherited nuget.org
	}
	if registry < 0 && (clear || disabled["nuget.org"]) {
		registry = 0
	}
	for i, s := range enabled {
		kind := Registry
		switch {
		case mapped:
			kind = ScopeRegistry
			for _, p := range mapping[strings.ToLower(s.key)] {
				if strings.TrimSpace(p) == "*" {
					kind = Registry
				}
			}
		case inEffect > 1 && i != registry:
			kind = ExtraIndex
		}
		b.addURL(s.line, kind, "packageSources."+s.key, s.value)
	}
	return b.sorted(), nil
}

// attr returns the value of the attribute named name (any case, no
// namespace).
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// decodeNuGetName undoes the escaping of a source key used as an element
// name in packageSourceCredentials ("_x0020_" for a space).
func decodeNuGetName(s string) string { return strings.ReplaceAll(s, "_x0020_", " ") }
