package pipeline

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/npmmeta"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// NameError is a package the online check could not judge, and why.
type NameError struct {
	Name string
	Err  error
}

// ErrUnpublished: the registry document has no published version.
var ErrUnpublished = errors.New("the package has no published version (unpublished)")

// OnlineNPM is the live npm check (--online): it fetches, with f, the
// registry document of each package of entries ("name" or "name@version")
// and judges the version asked for (the latest when none) with the
// npmmeta analyzer over the fetched snapshots. It returns the findings of
// each entry whose document was fetched, keyed by the entry as given and
// raw (suppressions are not applied), and one error per distinct name that
// could not be checked, in input order.
func OnlineNPM(ctx context.Context, f *npm.Fetcher, entries []string, now time.Time) (map[string][]record.Finding, []NameError) {
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		name, _ := splitNPMVersion(e)
		names = append(names, name)
	}
	fetched := f.Fetch(ctx, names)
	snaps := make(map[string]*npmmeta.Snapshot, len(fetched))
	var errs []NameError
	for _, it := range fetched {
		switch {
		case it.Err != nil:
			errs = append(errs, NameError{it.Name, it.Err})
		case it.Doc == nil:
			errs = append(errs, NameError{it.Name, errors.New("no document")})
		default:
			s := npmmeta.FromDocument(it.Doc)
			if len(s.Releases) == 0 {
				errs = append(errs, NameError{it.Name, ErrUnpublished})
				continue
			}
			snaps[it.Name] = s
		}
	}
	a := analysis.Pure(npmmeta.New(now, snaps))
	out := make(map[string][]record.Finding, len(entries))
	for _, e := range entries {
		name, version := splitNPMVersion(e)
		if snaps[name] == nil {
			continue
		}
		fs, err := a.Analyze(ctx, &record.Package{Ecosystem: ecosystem.NPM, Name: name, Version: version})
		if err != nil {
			// ctx ended after the fetch: the name is not judged.
			delete(snaps, name)
			errs = append(errs, NameError{name, err})
			continue
		}
		if fs == nil {
			fs = []record.Finding{}
		}
		out[e] = fs
	}
	return out, errs
}

// AddOnlineNPM runs OnlineNPM on the npm results (an exact version is
// judged, a range or tag stands for the latest), adds their findings with
// sup applied and recomputes the verdicts. It returns the packages that
// could not be checked.
func AddOnlineNPM(ctx context.Context, f *npm.Fetcher, sup analysis.Suppressor, results []record.Result, now time.Time) []NameError {
	var entries []string
	entry := make([]string, len(results))
	seen := map[string]bool{}
	for i, r := range results {
		if r.Ecosystem != ecosystem.NPM || r.Name == "" {
			continue
		}
		e := r.Name
		if ExactVersion(r.Version) {
			e += "@" + r.Version
		}
		entry[i] = e
		if !seen[e] {
			seen[e] = true
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return nil
	}
	found, errs := OnlineNPM(ctx, f, entries, now)
	for i := range results {
		analysis.Add(sup, &results[i], found[entry[i]])
	}
	return errs
}

// ExactVersion reports a plain version ("1.2.3", "1.0.0-beta.1"), not a
// range or tag, which the registry can be asked about.
func ExactVersion(v string) bool {
	if v == "" || (v[0] < '0' || v[0] > '9') {
		return false
	}
	return !strings.ContainsAny(v, " ^~<>=*|xX")
}

// splitNPMVersion splits "name@version"; a scope's leading "@" is part of
// the name.
func splitNPMVersion(arg string) (name, version string) {
	i := strings.LastIndexByte(arg, '@')
	if i <= 0 {
		return arg, ""
	}
	return arg[:i], arg[i+1:]
}
