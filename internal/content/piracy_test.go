package content

import (
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// E-book and film piracy SEO lures, in one-line descriptions, and their
// honest twins: book tooling, PDF libraries, media players.
func TestPiracyLures(t *testing.T) {
	a := NewWithJudge(&fakeJudge{})
	tests := []struct {
		text string
		min  record.Severity // -1: no lure-text finding
	}{
		{"Download The Silent Patient epub pdf free", record.High},
		{"[Download] Fourth Wing PDF EPUB Free by Rebecca Yarros", record.High},
		{"Watch Oppenheimer (2023) Full Movie Online Free HD", record.High},
		{"123Movies!! Watch Dune Part Two 2024 FullMovie Free Online Streaming", record.High},
		{"Read Online and Download Atomic Habits Full Book PDF ePub", record.Medium},
		{"Deadpool & Wolverine 2024 streaming VF complet gratuit", record.Medium},
		{"ebook free download Verity Colleen Hoover", record.Medium},
		{"free download pdf The Housemaid by Freida McFadden", record.Low},
		{"Download Taylor Swift new album mp3 free 320kbps zip", record.Medium},
		{"Claim your free ETH airdrop now, connect wallet to receive tokens", record.Medium},
		// Honest twins.
		{"epub-gen: generate EPUB books from HTML, free and open source", -1},
		{"Convert Markdown to PDF and EPUB", -1},
		{"A free PDF library for Node.js: create and download PDF documents", -1},
		{"Download free fonts for your website", -1},
		{"Free online movie database API client (TMDB)", -1},
		{"Read EPUB files in the browser", -1},
		{"Render PDF, EPUB and MOBI ebooks; download the full book as HTML", -1},
		{"Watch files and rebuild on change, free of dependencies", -1},
		{"HTML5 video player: watch live streams in 1080p", -1},
		{"Fast MP3 encoder and decoder; download album art from ID3 tags", -1},
		{"Read ID3 tags of MP3 files", -1},
		{"Solana devnet airdrop CLI for tests: request SOL to a local wallet", -1},
		{"Merkle airdrop contracts: let recipients claim tokens with a proof", -1},
		{"Free and open source Ethereum wallet library", -1},
		{"A free MP3 encoder written in pure JavaScript", -1},
		{"Free MP3 decoder for the browser", -1},
		{"Claim free ports for your test servers", -1},
		{"Tokenizer that reports used and free tokens of the context window", -1},
	}
	for _, tt := range tests {
		f := find(a.Analyze(&record.Package{Name: "pkg", Description: tt.text}), RuleLure)
		switch {
		case tt.min < 0 && f != nil:
			t.Errorf("%q: %s %s, want no lure", tt.text, f.Severity, f.Message)
		case tt.min >= 0 && (f == nil || f.Severity < tt.min):
			t.Errorf("%q: %v, want a lure of at least %s", tt.text, f, tt.min)
		}
	}
}
