package artifact

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/record"
)

// tarMode says which tar is being read.
type tarMode int

const (
	tarTop    tarMode = iota // the archive itself: nothing read yet means unreadable
	tarPlain                 // an uncompressed top tar: a gem if its first entry is a gem part
	tarGem                   // a gem's outer tar: metadata.gz, data.tar.gz, checksums.yaml.gz
	tarNested                // a gem's data.tar.gz: errors are findings
)

// readTar reads the entries of a tar stream into the builder.
func (b *builder) readTar(r io.Reader, mode tarMode) error {
	tr := tar.NewReader(r)
	for first := true; !b.halted; first = false {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			where := "the first entry"
			if !first {
				where = fmt.Sprintf("entry %d", b.entries+1)
			}
			if mode == tarNested {
				where = "data.tar.gz " + where
			}
			return b.stop(err, where, first && mode != tarNested && !b.gem.seen)
		}
		if !b.countEntry() {
			return nil
		}
		if mode == tarPlain {
			mode = tarTop
			if isGemPart(hdr.Name) {
				mode = tarGem
			}
		}
		if mode == tarGem {
			if err := b.gemEntry(tr, hdr); err != nil {
				return b.stop(err, hdr.Name, false)
			}
			continue
		}
		if err := b.tarEntry(tr, hdr); err != nil {
			return b.stop(err, escapeName(hdr.Name), false)
		}
	}
	return nil
}

func (b *builder) tarEntry(tr *tar.Reader, hdr *tar.Header) error {
	isDir := hdr.Typeflag == tar.TypeDir || hdr.Typeflag == tar.TypeXGlobalHeader
	p, ok := b.entryName(hdr.Name, isDir)
	if !ok {
		return nil
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeCont:
		for k := range hdr.PAXRecords {
			if strings.HasPrefix(k, "GNU.sparse.") {
				b.special(p, "sparse file")
				return nil
			}
		}
		return b.addFile(p, hdr.FileInfo().Mode(), tr, hdr.Size)
	case tar.TypeDir, tar.TypeXGlobalHeader:
	case tar.TypeSymlink:
		b.link(p, hdr.Linkname, false)
	case tar.TypeLink:
		b.link(p, hdr.Linkname, true)
	case tar.TypeChar:
		b.special(p, "character device")
	case tar.TypeBlock:
		b.special(p, "block device")
	case tar.TypeFifo:
		b.special(p, "FIFO")
	case tar.TypeGNUSparse:
		b.special(p, "sparse file")
	default:
		b.special(p, fmt.Sprintf("entry of type %q", hdr.Typeflag))
	}
	return nil
}

// Gem parts: the outer tar of a .gem holds these; data.tar.gz holds the files.
const (
	gemData      = "data.tar.gz"
	gemMetadata  = "metadata.gz"
	gemChecksums = "checksums.yaml.gz"
)

func isGemPart(name string) bool {
	return name == gemData || name == gemMetadata || name == gemChecksums
}

// maxMetadata bounds a metadata document that is parsed (package.json,
// METADATA, .nuspec, gem metadata, go.mod, Cargo.toml).
const maxMetadata = 4 << 20

// gemParts is what a gem's outer tar holds besides its files.
type gemParts struct {
	seen      bool
	data      bool   // data.tar.gz was read
	metadata  []byte // metadata.gz, decompressed
	sums      map[string][32]byte
	checksums []byte // checksums.yaml.gz, decompressed
}

func (b *builder) gemEntry(tr *tar.Reader, hdr *tar.Header) error {
	b.gem.seen = true
	if hdr.Typeflag != tar.TypeReg {
		return b.tarEntry(tr, hdr) // links and devices get their findings
	}
	if b.gem.sums == nil {
		b.gem.sums = map[string][32]byte{}
	}
	switch hdr.Name {
	case gemData:
		if b.gem.data {
			b.fs.add(RuleDuplicatePath, record.Medium, map[string]any{"path": gemData}, "a second %s ignored", gemData)
			return nil
		}
		b.gem.data = true
		h := sha256.New()
		cr := &countReader{r: io.TeeReader(tr, h)}
		gz, err := gzip.NewReader(cr)
		if err != nil {
			b.badEntry(gemData, map[string]any{"where": gemData, "error": err.Error()},
				"%s is not a gzip stream: %v; the gem's files were not read", gemData, err)
			return nil
		}
		if err := b.readTar(b.meter(gz, func() int64 { return cr.n }), tarNested); err != nil || b.halted {
			return err
		}
		if _, err := io.Copy(io.Discard, cr); err != nil { // the rest, for the hash
			return err
		}
		var sum [32]byte
		h.Sum(sum[:0])
		b.gem.sums[gemData] = sum
	case gemMetadata, gemChecksums:
		raw, err := io.ReadAll(io.LimitReader(tr, maxMetadata+1))
		if err != nil {
			return err
		}
		if len(raw) > maxMetadata {
			b.fs.add(RuleBadMetadata, record.Low, map[string]any{"file": hdr.Name, "limit": maxMetadata},
				"%s is over %d bytes: not parsed", hdr.Name, maxMetadata)
			return nil
		}
		b.gem.sums[hdr.Name] = sha256.Sum256(raw)
		text, err := b.gunzipSmall(raw)
		if err != nil {
			if errors.Is(err, errBomb) || errors.Is(err, errTooLarge) {
				return err
			}
			b.fs.add(RuleBadMetadata, record.Low, map[string]any{"file": hdr.Name, "error": err.Error()},
				"%s unreadable: %v", hdr.Name, err)
			return nil
		}
		if hdr.Name == gemMetadata {
			b.gem.metadata = text
		} else {
			b.gem.checksums = text
		}
	default: // signatures and the like: not installed, but names are checked
		b.entryName(hdr.Name, false)
	}
	return nil
}

// gunzipSmall decompresses a small gzip document within maxMetadata bytes,
// the ratio limit and the total limit.
func (b *builder) gunzipSmall(raw []byte) ([]byte, error) {
	gz, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	n := int64(len(raw))
	out, err := io.ReadAll(io.LimitReader(b.meter(gz, func() int64 { return n }), maxMetadata+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxMetadata {
		return nil, fmt.Errorf("over %d bytes decompressed", maxMetadata)
	}
	return out, nil
}

// checkGemSums compares checksums.yaml with the parts read.
func (b *builder) checkGemSums() {
	if b.halted || b.gem.checksums == nil {
		return
	}
	var doc struct {
		SHA256 map[string]string `yaml:"SHA256"`
	}
	if err := yaml.Unmarshal(stripBOM(b.gem.checksums), &doc); err != nil {
		b.fs.add(RuleBadMetadata, record.Low, map[string]any{"file": gemChecksums, "error": err.Error()},
			"%s unreadable: %v", gemChecksums, err)
		return
	}
	for _, part := range []string{gemMetadata, gemData} {
		want, ok := doc.SHA256[part]
		got, read := b.gem.sums[part]
		if !ok || !read {
			continue
		}
		if !strings.EqualFold(strings.TrimSpace(want), hex.EncodeToString(got[:])) {
			b.fs.add(RuleCorrupt, record.Medium, map[string]any{"where": part, "want": want, "got": hex.EncodeToString(got[:])},
				"%s does not match its SHA256 in %s", part, gemChecksums)
		}
	}
}
