package campaign

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// MinHash parameters: NumHashes values per text, hashed into Bands bands
// of Rows values for locality-sensitive hashing. Two texts of Jaccard
// similarity J share a band with probability 1-(1-J^4)^16: 0.06 at 0.2,
// 0.64 at 0.5, 0.99 at 0.7.
const (
	NumHashes   = 64
	Bands       = 16
	Rows        = NumHashes / Bands
	ShingleSize = 3    // words per shingle
	maxWords    = 2000 // words of text read per record
	maxLinks    = 8    // distinct links kept per record
	maxAuthors  = 4    // distinct authors kept per record
)

// Signature is what clustering keeps of a package record: its identity,
// the tokens of its name template, its links, authors, publication time,
// lure terms and a MinHash of its text. It retains no text. Sign computes
// it; it is safe to compute signatures concurrently and add them to a
// Builder in order.
type Signature struct {
	Member    Member
	template  []string
	links     []Link
	authors   []string
	published int64 // Unix seconds; 0 when unknown
	shingles  int   // distinct-ish shingles seen (capped by maxWords)
	lure      uint64
	minhash   [NumHashes]uint32
	shape     string   // name shape ("a-a-n"), "" for none
	raw       []uint32 // hashes of the name's raw tokens when it has a shape
	desc      uint64   // hash of an identical-description candidate, 0 for none
	manifest  uint64   // hash of script and dependency names, 0 for none
	deps      int      // dependency names in the manifest
}

// Member identifies a package version in a campaign.
type Member struct {
	Ecosystem ecosystem.Ecosystem `json:"ecosystem"`
	Name      string              `json:"name"`
	Version   string              `json:"version"`
	// Source is where the record was read ("FILE:LINE"); not part of the
	// member's identity.
	Source string `json:"source,omitempty"`
}

// Key is "ECOSYSTEM/NAME@VERSION".
func (m Member) Key() string { return string(m.Ecosystem) + "/" + m.Name + "@" + m.Version }

// Sign computes the signature of a package record.
func Sign(p *record.Package) Signature {
	s := Signature{
		Member:   Member{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Source: p.Source},
		template: NameTemplate(p.Name),
	}
	if !p.Published.IsZero() {
		s.published = p.Published.Unix()
	}
	s.shape, s.raw = nameShape(p.Name)
	s.desc = descHash(p.Description)
	deps := make([]string, 0, len(p.Dependencies))
	for _, d := range p.Dependencies {
		deps = append(deps, d.Name)
	}
	s.manifest = manifestHash(p.Scripts, deps)
	s.deps = len(deps)
	for _, ppl := range [][]record.Person{p.Authors, p.Maintainers} {
		for _, a := range ppl {
			k := strings.ToLower(strings.TrimSpace(a.Email))
			if k == "" {
				k = strings.ToLower(strings.TrimSpace(a.Name))
			}
			if k != "" && len(s.authors) < maxAuthors && !contains(s.authors, k) {
				s.authors = append(s.authors, k)
			}
		}
	}
	s.addLink(p.Homepage)
	s.addLink(p.Repository)

	var lure lureScan
	for _, t := range s.template {
		if !isPlaceholder(t) {
			lure.word(wordHash(strings.TrimPrefix(t, "@")))
		}
	}
	lure.brk()
	for _, k := range p.Keywords {
		lure.brk()
		forWords(k, nil, func(h uint64) { lure.word(h) })
	}
	lure.brk()

	var sh shingler
	sh.init()
	for _, text := range [...]string{p.Description, p.Readme} {
		if text == "" {
			continue
		}
		var spans [][2]int
		ExtractURLs(text, func(a, b int) {
			s.addLink(text[a:b])
			spans = append(spans, [2]int{a, b})
		})
		forWords(text, spans, func(h uint64) {
			if sh.words >= maxWords {
				return
			}
			lure.word(h)
			sh.add(h)
		})
		lure.brk()
		sh.brk()
	}
	s.shingles = sh.finish(&s.minhash)
	s.lure = lure.mask
	return s
}

func (s *Signature) addLink(raw string) {
	if raw == "" || len(s.links) >= maxLinks {
		return
	}
	l, ok := NormalizeURL(raw)
	if !ok {
		return
	}
	for _, o := range s.links {
		if o.URL == l.URL {
			return
		}
	}
	s.links = append(s.links, l)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// forWords calls fn with the hash of every word of text outside the
// skipped byte spans (sorted, non-overlapping). A word is a run of
// letters and digits, lower-cased; a word of digits only is "#", so that
// varying counts and prices in a template do not change its shingles.
func forWords(text string, skip [][2]int, fn func(uint64)) {
	h := uint64(fnvOffset)
	n := 0
	allDigits := true
	end := func() {
		if n > 0 {
			if allDigits {
				fn(hashDigits)
			} else {
				fn(mix64(h))
			}
		}
		h, n, allDigits = fnvOffset, 0, true
	}
	for i := 0; i < len(text); {
		if len(skip) > 0 && i >= skip[0][0] {
			end()
			i = skip[0][1]
			skip = skip[1:]
			continue
		}
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z':
				r = rune(c)
			case c >= 'A' && c <= 'Z':
				r = rune(c + 32)
			case c >= '0' && c <= '9':
				r = rune(c)
			default:
				end()
				i++
				continue
			}
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				end()
				i += size
				continue
			}
			r = unicode.ToLower(r)
		}
		if r < '0' || r > '9' {
			allDigits = false
		}
		if n < 64 {
			h = (h ^ uint64(r)) * fnvPrime
		}
		n++
		i += size
	}
	end()
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

var hashDigits = wordHash("#")

// wordHash hashes a word as forWords does (lower-case runes).
func wordHash(w string) uint64 {
	h := uint64(fnvOffset)
	n := 0
	for _, r := range w {
		if n < 64 {
			h = (h ^ uint64(unicode.ToLower(r))) * fnvPrime
		}
		n++
	}
	return mix64(h)
}

// pairHash combines two word hashes (order matters).
func pairHash(a, b uint64) uint64 { return mix64(a*0x9e3779b97f4a7c15 ^ b) }

// mix64 is the splitmix64 finalizer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashString hashes a string with a kind prefix (bucket keys).
func hashString(kind byte, s string) uint64 {
	h := uint64(fnvOffset)
	h = (h ^ uint64(kind)) * fnvPrime
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return mix64(h)
}

// shingler builds a one-permutation MinHash (one hash per shingle, its
// top bits choosing the bin) of the word shingles of a text, with
// rotation densification for empty bins: O(words + NumHashes) per text
// instead of O(words × NumHashes).
type shingler struct {
	win   [ShingleSize]uint64
	have  int // words in the window since the last break
	words int
	count int
	short uint64 // hash of a text shorter than a shingle
	mins  [NumHashes]uint32
}

func (s *shingler) init() {
	for i := range s.mins {
		s.mins[i] = math.MaxUint32
	}
}

func (s *shingler) add(h uint64) {
	s.words++
	copy(s.win[:], s.win[1:])
	s.win[ShingleSize-1] = h
	s.have++
	if s.have < ShingleSize {
		return
	}
	x := s.win[0]
	for _, w := range s.win[1:] {
		x = pairHash(x, w)
	}
	s.put(x)
}

func (s *shingler) put(x uint64) {
	s.count++
	bin := x >> (64 - 6) // NumHashes = 64 bins
	if v := uint32(x); v < s.mins[bin] {
		s.mins[bin] = v
	}
}

// brk ends a text: a text shorter than a shingle counts as one shingle of
// its words.
func (s *shingler) brk() {
	if s.have > 0 && s.have < ShingleSize {
		x := uint64(0x51ed27)
		for _, w := range s.win[ShingleSize-s.have:] {
			x = pairHash(x, w)
		}
		s.put(x)
	}
	s.have = 0
}

// finish writes the densified signature and returns the shingle count.
func (s *shingler) finish(dst *[NumHashes]uint32) int {
	if s.count == 0 {
		return 0
	}
	for i := range s.mins {
		if s.mins[i] != math.MaxUint32 {
			dst[i] = s.mins[i]
			continue
		}
		for d := 1; d < NumHashes; d++ {
			j := (i + d) % NumHashes
			if s.mins[j] != math.MaxUint32 {
				dst[i] = uint32(mix64(uint64(s.mins[j]) ^ uint64(d)<<32))
				break
			}
		}
	}
	return s.count
}

// similarity estimates the Jaccard similarity of two MinHash signatures.
func similarity(a, b *[NumHashes]uint32) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / NumHashes
}
