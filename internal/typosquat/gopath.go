package typosquat

import (
	"strings"

	"github.com/pkgward/pkgward/internal/confusable"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// ownerRepoHosts lay modules out as host/owner/repo; elsewhere a module
// root is host/name (gopkg.in/yaml.v3, go.uber.org/zap, k8s.io/api).
var ownerRepoHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "codeberg.org": true,
	"gitee.com": true, "gitea.com": true, "golang.org": true, "git.sr.ht": true, "sourcehut.org": true,
}

// codeHosts are hosts module paths commonly start with; a host one edit
// away from one of them ("githb.com") imitates it.
var codeHosts = []string{
	"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "gitea.com",
	"golang.org", "google.golang.org", "gopkg.in", "go.uber.org", "k8s.io",
	"sigs.k8s.io", "cloud.google.com", "go.opentelemetry.io", "go.etcd.io",
	"honnef.co", "mvdan.cc", "go.mongodb.org", "gorm.io", "filippo.io",
}

// majorHosts hold most modules: a lookalike of one of them blocks even
// when the module it would correct to is not in the corpus.
var majorHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "golang.org": true,
	"google.golang.org": true, "gopkg.in": true,
}

// goRoot returns the module root of a canonical Go path: host/owner/repo
// on owner/repo hosts, host/name elsewhere; a trailing major version
// ("/v2") is dropped.
func goRoot(c string) string {
	parts := strings.Split(c, "/")
	n := 2
	if ownerRepoHosts[parts[0]] {
		n = 3
	}
	if len(parts) > n {
		parts = parts[:n]
	}
	if k := len(parts); k > 1 && isMajor(parts[k-1]) {
		parts = parts[:k-1]
	}
	return strings.Join(parts, "/")
}

func isMajor(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// goIndex holds the structure of the Go corpus: which owners publish a
// repository name on each owner/repo host, and the hosts in use.
type goIndex struct {
	byRepo map[string][]int32 // host "/" repo → ids
	hosts  map[string]bool
}

func buildGoIndex(targets []target) *goIndex {
	g := &goIndex{byRepo: map[string][]int32{}, hosts: map[string]bool{}}
	for _, h := range codeHosts {
		g.hosts[h] = true
	}
	for i := range targets {
		p := ecosystem.SplitGoPath(targets[i].canon)
		g.hosts[p.Host] = true
		if ownerRepoHosts[p.Host] && p.Repo != "" {
			k := p.Host + "/" + p.Repo
			g.byRepo[k] = append(g.byRepo[k], int32(i))
		}
	}
	return g
}

// ownerLookalike reports whether owner c imitates owner t: same letters
// without delimiters, a confusable skeleton, one or two edits, or t with
// an affix word added ("boltdb-go" for "boltdb").
func ownerLookalike(c, t string) (string, bool) {
	sc, st := stripKey(ecosystem.Go, c), stripKey(ecosystem.Go, t)
	switch {
	case sc == st:
		return "delimiters changed", true
	case confusable.Skeleton(sc) == confusable.Skeleton(st):
		return "lookalike characters", true
	}
	if len(st) >= 4 {
		// Two edits only on long owners: organizations rename themselves
		// by a letter or two (gogits became gogs).
		limit := 1
		if len(st) >= 8 {
			limit = 2
		}
		if d, _ := osa(sc, st, limit, nil); d <= limit {
			return "owner misspelt", true
		}
	}
	if len(st) >= 4 && (strings.HasPrefix(sc, st) || strings.HasSuffix(sc, st)) && len(sc)-len(st) <= 6 {
		return "owner name with a word added", true
	}
	return "", false
}

// checkGo adds the Go-specific matches: host and owner lookalikes, and
// clones of a popular repository under an unrelated owner.
func (ix *Index) checkGo(q *query) {
	g := ix.goIdx
	p := ecosystem.SplitGoPath(q.full)
	if !g.hosts[p.Host] && len(p.Host) >= 6 {
		for _, h := range codeHosts {
			if d, _ := osa(p.Host, h, 1, nil); d == 1 || confusable.Skeleton(p.Host) == h {
				fixed := goRoot(h + strings.TrimPrefix(q.full, p.Host))
				m := match{tech: TechHost, dist: d, phrase: "code host " + p.Host + " imitates " + h, targetName: fixed, id: -1, host: h}
				if id, ok := ix.lookup(fixed); ok {
					m.id = id
				}
				q.add(m)
				break
			}
		}
	}
	if !ownerRepoHosts[p.Host] || p.Repo == "" {
		return
	}
	ids := g.byRepo[p.Host+"/"+p.Repo]
	owners := map[string]bool{}
	for _, id := range ids {
		owners[ecosystem.SplitGoPath(ix.targets[id].canon).Owner] = true
	}
	for _, id := range ids {
		to := ecosystem.SplitGoPath(ix.targets[id].canon).Owner
		if to == p.Owner {
			continue
		}
		if why, ok := ownerLookalike(p.Owner, to); ok {
			q.add(match{id: id, tech: TechOwner, phrase: why + ": " + p.Owner + " for " + to})
		} else if len(owners) == 1 && len(p.Repo) >= 4 {
			q.add(match{id: id, tech: TechRepoClone, phrase: "same repository name under an unrelated owner " + p.Owner})
		}
	}
}

// sharedVanityHosts serve modules of many owners without an owner
// segment: gopkg.in/yaml.v3 is github.com/go-yaml/yaml, and anyone who
// names a GitHub account "go-NAME" gets gopkg.in/NAME.v1.
var sharedVanityHosts = map[string]bool{"gopkg.in": true}

// dropForks removes the matches that are no lookalikes by how Go paths
// are owned:
//
//   - a corpus module's path on another code host in use: the same
//     owner/repo on codeberg.org or gitlab.com as on github.com (or on
//     gitee.com as on gitea.com, one letter apart) is a fork, a mirror or
//     a move: nobody reaches another forge by a typo, and the owner there
//     is an account of that forge. A host that is not in use but imitates
//     one is what checkGo's host lookalike judges, and it is kept;
//   - another path under the same host, when the host is not a forge
//     (owner/repo hosts, gopkg.in): a vanity host (k8s.io, go.uber.org,
//     buf.build) belongs to one owner, who publishes every path under it,
//     as an npm scope or a forge account does.
func (ix *Index) dropForks(q *query) {
	host, rest, ok := strings.Cut(q.canon, "/")
	if !ok || !ix.goIdx.hosts[host] {
		return
	}
	oneOwner := !ownerRepoHosts[host] && !sharedVanityHosts[host]
	keep := q.matches[:0]
	for _, m := range q.matches {
		if m.id >= 0 {
			th, trest, _ := strings.Cut(ix.targets[m.id].canon, "/")
			if th != host && trest == rest || th == host && oneOwner {
				continue
			}
			if m.tech == TechWordOrder && ownerRepoSwapped(q.canon, ix.targets[m.id].canon) {
				// The project's name moved between the account and the
				// repository: a rename or a fork, reported as one.
				m.tech, m.phrase = TechRepoClone, "owner and repository swapped: the project moved between its accounts"
			}
		}
		keep = append(keep, m)
	}
	q.matches = keep
}

// ownerRepoSwapped reports two module roots on the same owner/repo host
// whose owner and repository trade places, each up to the order of its
// words, and share a word, the project's name: github.com/go-redis/redis
// and github.com/redis/go-redis. That is how a project moves from an
// account named for it ("go-NAME") to an organization named after it (or
// is forked back), keeping its import path's words. An owner and a
// repository with no word in common swapped (github.com/cobra/spf13 for
// github.com/spf13/cobra), and words moved otherwise between them
// (github.com/go/redis-redis), are still word-order lookalikes.
func ownerRepoSwapped(cand, target string) bool {
	cp, tp := ecosystem.SplitGoPath(cand), ecosystem.SplitGoPath(target)
	if !ownerRepoHosts[cp.Host] || cp.Host != tp.Host || cp.Repo == "" || tp.Repo == "" {
		return false
	}
	same := func(a, b string) bool {
		if a == b {
			return true
		}
		ka, kb := sortedTokensKey(a), sortedTokensKey(b)
		return ka != "" && ka == kb
	}
	if !same(cp.Owner, tp.Repo) || !same(cp.Repo, tp.Owner) {
		return false
	}
	for _, w := range tokens(cp.Owner) {
		if hasWord(cp.Repo, w) {
			return true
		}
	}
	return false
}
