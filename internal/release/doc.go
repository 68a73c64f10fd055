// Package release compares two releases of a package — two artifact trees
// and the code-rule findings on each — and reports what the newer one
// added: new or changed install scripts, new network endpoints, new code
// findings (obfuscation, wallet hooks, exfiltration…), new dependencies,
// new binary or minified files and changed maintainers. That delta is the
// signal that catches a hijacked release of an honest package, whose new
// code hides among thousands of unchanged lines.
//
// Compare is pure: both trees and their findings are computed upstream.
package release
