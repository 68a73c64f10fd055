package content

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"case and punctuation", "Free ROBUX Generator!!!", "free robux generator"},
		{"hyphen splits", "V-Bucks", "v bucks"},
		{"leet digits", "fr33 r0bux", "free robux"},
		{"leet symbols", "V-Buck$ h@ck", "v bucks hack"},
		{"long digit runs stay", "robux2024 and 2024", "robux2024 and 2024"},
		{"plain numbers stay", "10000 robux in 5 min", "10000 robux ln 5 mln"},
		{"i folds to l", "TikTok Instagram", "tlktok lnstagram"},
		{"cyrillic homoglyphs", "Frее Rоbuх", "free robux"},
		{"math bold", "𝐅𝐫𝐞𝐞 𝐑𝐨𝐛𝐮𝐱", "free robux"},
		{"full width", "ＦＲＥＥ", "free"},
		{"small capitals", "ꜰʀᴇᴇ ʀᴏʙᴜx", "free robux"},
		{"enclosed letters", "🅵🆁🅴🅴 Ⓡⓞⓑⓤⓧ", "free robux"},
		{"accents", "gratuité", "gratulte"},
		{"zero width joins", "rob\u200bux", "robux"},
		{"soft hyphen joins", "ro\u00adbux", "robux"},
		{"dash separates", "free—robux", "free robux"},
		{"emoji separates", "free🔥robux", "free robux"},
		{"newline kept as block break", "free\nrobux", "free\nrobux"},
		{"blank lines collapse", "free\n\n\nrobux", "free\nrobux"},
		{"cjk kept", "免费 robux", "免费 robux"},
		{"invalid utf-8 separates", "free\xffrobux", "free robux"},
		{"lone symbols dropped", "$ @ free", "free"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeWordSpans(t *testing.T) {
	src := "Get Frее R0BUX now"
	var nt normText
	nt.normalize(src)
	var got []string
	for _, w := range nt.words {
		got = append(got, src[w.orig:w.origEnd]+"="+string(nt.b[w.norm:w.normEnd]))
	}
	want := []string{"Get=get", "Frее=free", "R0BUX=robux", "now=now"}
	if len(got) != len(want) {
		t.Fatalf("words = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("word %d = %q, want %q", i, got[i], want[i])
		}
	}
}
