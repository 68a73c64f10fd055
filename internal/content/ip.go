package content

import (
	"net/netip"
	"strconv"
	"strings"
)

// IP address forms of a URL host, as browsers read them (the WHATWG URL
// host parser, which follows inet_aton): besides the dotted quad and IPv6
// literals, a host whose last label is a number is an IPv4 address written
// as one to four decimal, hex (0x…) or octal (0…) parts.
const (
	ipDotted  = "dotted"  // 192.0.2.1
	ipV6      = "ipv6"    // [2001:db8::1]
	ipDecimal = "decimal" // 3221225985
	ipHex     = "hex"     // 0xC0000201, 0xC0.0.2.1
	ipOctal   = "octal"   // 0300.0.2.1
	ipShort   = "short"   // 192.1 (fewer than four parts)
)

// parseIPHost reports whether host (as url.Hostname returns it: IPv6
// without brackets) is an IP address, and in which form.
func parseIPHost(host string) (netip.Addr, string, bool) {
	if strings.Contains(host, ":") {
		a, err := netip.ParseAddr(host)
		if err != nil {
			return netip.Addr{}, "", false
		}
		return a.Unmap(), ipV6, true
	}
	host = strings.TrimSuffix(host, ".")
	parts := strings.Split(host, ".")
	if len(parts) == 0 || len(parts) > 4 {
		return netip.Addr{}, "", false
	}
	if _, _, ok := ipPart(parts[len(parts)-1]); !ok {
		return netip.Addr{}, "", false
	}
	var vals [4]uint64
	form := ipDotted
	for i, p := range parts {
		v, f, ok := ipPart(p)
		if !ok {
			return netip.Addr{}, "", false
		}
		vals[i] = v
		switch {
		case f == ipHex:
			form = ipHex
		case f == ipOctal && form != ipHex:
			form = ipOctal
		}
	}
	n := len(parts)
	for i := 0; i < n-1; i++ {
		if vals[i] > 255 {
			return netip.Addr{}, "", false
		}
	}
	last := vals[n-1]
	if last >= 1<<(8*(5-n)) {
		return netip.Addr{}, "", false
	}
	var u uint32
	for i := 0; i < n-1; i++ {
		u |= uint32(vals[i]) << (24 - 8*i)
	}
	u |= uint32(last)
	if form == ipDotted && n < 4 {
		form = ipShort
		if n == 1 {
			form = ipDecimal
		}
	}
	return netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)}), form, true
}

// ipPart parses one part: decimal, 0x hex or 0-prefixed octal.
func ipPart(p string) (uint64, string, bool) {
	if p == "" || len(p) > 12 {
		return 0, "", false
	}
	switch {
	case len(p) >= 2 && (p[:2] == "0x" || p[:2] == "0X"):
		if len(p) == 2 {
			return 0, ipHex, true
		}
		v, err := strconv.ParseUint(p[2:], 16, 64)
		return v, ipHex, err == nil
	case len(p) > 1 && p[0] == '0':
		v, err := strconv.ParseUint(p[1:], 8, 64)
		return v, ipOctal, err == nil
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return 0, "", false
		}
	}
	v, err := strconv.ParseUint(p, 10, 64)
	return v, ipDotted, err == nil
}

var localPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "2001:db8::/32", "64:ff9b::/96",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// isLocalIP reports addresses that honest READMEs use as examples or for
// local services: loopback, private, link-local, unspecified, multicast,
// shared, benchmarking, documentation and reserved ranges.
func isLocalIP(a netip.Addr) bool {
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsUnspecified() || a.IsMulticast() || a.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range localPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
