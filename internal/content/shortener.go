package content

import "strings"

// URL shorteners (rule shortener-link). A shortener hides where a link
// goes; the spam campaigns send their lures through them. "general"
// shorteners are used honestly too (info alone); "monetized" ones pay the
// link's owner for ads or make the visitor unlock the target by
// installing, subscribing or filling a survey (content lockers), the
// delivery channel of fake cheats and generators (low alone).
//
// Deliberately left out: link-in-bio pages (linktr.ee and the like: the
// page is visible, not a redirect), vendor short links that only ever
// point to the vendor (youtu.be, git.io, aka.ms, amzn.to, npm.im, spoti.fi,
// discord.gg invites), and document hosts.
const (
	shortenerGeneral   = "general"
	shortenerMonetized = "monetized"
)

var shorteners = map[string]string{
	"bit.ly": shortenerGeneral, "bitly.com": shortenerGeneral, "j.mp": shortenerGeneral, "bit.do": shortenerGeneral,
	"tinyurl.com": shortenerGeneral, "tiny.cc": shortenerGeneral, "tiny.one": shortenerGeneral,
	"cutt.ly": shortenerGeneral, "cutt.us": shortenerGeneral, "rb.gy": shortenerGeneral,
	"is.gd": shortenerGeneral, "v.gd": shortenerGeneral, "shorturl.at": shortenerGeneral,
	"ow.ly": shortenerGeneral, "buff.ly": shortenerGeneral, "t.ly": shortenerGeneral,
	"goo.gl": shortenerGeneral, "rebrand.ly": shortenerGeneral, "bl.ink": shortenerGeneral,
	"s.id": shortenerGeneral, "t.co": shortenerGeneral, "tr.im": shortenerGeneral,
	"lnkd.in": shortenerGeneral, "clck.ru": shortenerGeneral, "u.to": shortenerGeneral,
	"gg.gg": shortenerGeneral, "urlz.fr": shortenerGeneral, "x.gd": shortenerGeneral,
	"surl.li": shortenerGeneral, "shrtco.de": shortenerGeneral, "soo.gd": shortenerGeneral,
	"t2m.io": shortenerGeneral, "tny.im": shortenerGeneral, "qr.net": shortenerGeneral,
	"shorturl.asia": shortenerGeneral, "shorter.me": shortenerGeneral, "short.gy": shortenerGeneral,
	"snip.ly": shortenerGeneral, "tiny.pl": shortenerGeneral, "l.ead.me": shortenerGeneral,
	"adf.ly": shortenerMonetized, "j.gs": shortenerMonetized, "q.gs": shortenerMonetized,
	"ouo.io": shortenerMonetized, "ouo.press": shortenerMonetized, "shorte.st": shortenerMonetized,
	"sh.st": shortenerMonetized, "bc.vc": shortenerMonetized, "exe.io": shortenerMonetized,
	"linkvertise.com": shortenerMonetized, "link-to.net": shortenerMonetized, "up-to-down.net": shortenerMonetized,
	"direct-link.net": shortenerMonetized, "link-center.net": shortenerMonetized, "link-hub.net": shortenerMonetized,
	"shrinkme.io": shortenerMonetized, "shrinke.me": shortenerMonetized, "za.gl": shortenerMonetized,
	"fc.lc": shortenerMonetized, "cuty.io": shortenerMonetized, "adfoc.us": shortenerMonetized,
	"clk.sh": shortenerMonetized, "shrinkearn.com": shortenerMonetized, "gplinks.co": shortenerMonetized,
	"droplink.co": shortenerMonetized, "sub2unlock.com": shortenerMonetized, "sub2unlock.net": shortenerMonetized,
	"rekonise.com": shortenerMonetized, "boost.ink": shortenerMonetized, "loot-link.com": shortenerMonetized,
	"lootdest.com": shortenerMonetized, "work.ink": shortenerMonetized, "mboost.me": shortenerMonetized,
	"social-unlock.com": shortenerMonetized, "sub4unlock.com": shortenerMonetized, "linkvertise.net": shortenerMonetized,
}

// shortenerOf reports whether host is (a subdomain of) a known shortener,
// which one, and its class.
func shortenerOf(host string) (domain, class string, ok bool) {
	h := host
	for {
		if c, found := shorteners[h]; found {
			return h, c, true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			return "", "", false
		}
		h = h[i+1:]
	}
}
